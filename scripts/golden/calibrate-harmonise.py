"""scipy oracle for the DMSP <-> VIIRS harmonisation fits (src/calibrate/harmonise.ts).

Run from the repo root: /usr/bin/python3 scripts/golden/calibrate-harmonise.py   (needs python3-scipy)
Writes test/goldens/calibrate-harmonise-pairs.csv (600 synthetic overlap pairs: x = VIIRS-like radiance,
lognormal; y = DMSP-like DN from a 4-parameter sigmoid of ln x plus noise, clipped to [0, 63]) and
test/goldens/calibrate-harmonise.json: scipy.optimize.curve_fit (method 'lm', MINPACK) parameters, R^2
(1 - SSE/SST), RMSE (sqrt(SSE/N)) and N for the loglinear, power and sigmoid models.
"""
import csv, json, pathlib
import numpy as np
from scipy.optimize import curve_fit

root = pathlib.Path(__file__).resolve().parents[2]
rng = np.random.default_rng(20240613)
n = 600
x = np.exp(rng.normal(1.0, 1.4, n))
y = 1.0 + 62.0 / (1.0 + np.exp(-1.3 * (np.log(x) - 1.5))) + rng.normal(0, 3.0, n)
y = np.clip(np.round(y * 100) / 100, 0, 63)
x = np.round(x * 1e6) / 1e6
with open(root / "test/goldens/calibrate-harmonise-pairs.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["viirs", "dmsp"])
    for a, b in zip(x, y): w.writerow([repr(float(a)), repr(float(b))])

models = {
    "loglinear": (lambda x, a, b: a + b * np.log(x), [20.0, 10.0]),
    "power": (lambda x, a, b: a * x ** b, [10.0, 0.5]),
    "sigmoid": (lambda x, a, b, c, d: a + b / (1 + np.exp(-c * (np.log(x) - d))), [0.0, 60.0, 1.0, 1.0]),
}
out = {}
for name, (f, p0) in models.items():
    p, _ = curve_fit(f, x, y, p0=p0, method="lm", maxfev=100000, xtol=1e-15, ftol=1e-15)
    r = y - f(x, *p)
    sse = float((r ** 2).sum()); sst = float(((y - y.mean()) ** 2).sum())
    out[name] = {"params": [float(v) for v in p], "r2": 1 - sse / sst, "rmse": float(np.sqrt(sse / n)), "n": n}
(root / "test/goldens/calibrate-harmonise.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out, indent=1))
