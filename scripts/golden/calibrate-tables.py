"""Extract the DMSP inter-calibration tables T1-T4 from calibration.md into data/calibration/*.csv.

Run: /usr/bin/python3 scripts/golden/calibrate-tables.py CALIBRATION_MD
CALIBRATION_MD is the project's calibration methods note (not part of the repository); the published source of
every table is cited in the header lines of each data/calibration/*.csv.
The CSVs are the shipped data; this script documents where every digit came from (no re-typing).
"""
import re, sys, pathlib

md = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
out = pathlib.Path(__file__).resolve().parents[2] / "data" / "calibration"

def table(title_prefix):
    i = md.index(title_prefix)
    rows = []
    for line in md[i:].splitlines()[1:]:
        if line.startswith("| F"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
        elif rows and not line.startswith("|"):
            break
    return rows

SPECS = {
    "elvidge2014": ("#### T1.", ["satellite", "year", "c0", "c1", "c2", "r2"], [
        "Elvidge, C.D., Hsu, F.-C., Baugh, K.E., Ghosh, T. (2014). National trends in satellite-observed lighting: 1992-2012. In Q. Weng (ed.), Global Urban Monitoring and Assessment through Earth Observation, CRC Press, pp. 97-118.",
        "model: poly2  DN' = c0 + c1*DN + c2*DN^2 ; reference F12 1999 ; invariant region Sicily",
        "rows: GRASS i.nightlights.intercalibration ELVIDGE2014 = World Bank OpenNightLights Elvidge_DMSP_intercalib_coef.csv (all 33 triples identical); r2 from GRASS only",
        "F16 ends 2009, F18 covers 2010-2012 (GRASS's duplicated F16 2010-2012 / F18 2004-2009 rows are NOT real and are not here); no F162010, no F182013",
    ]),
    "elvidge2009": ("#### T2.", ["satellite", "year", "c0", "c1", "c2", "r2"], [
        "Elvidge, C.D., Ziskin, D., Baugh, K.E., Tuttle, B.T., Ghosh, T., Pack, D.W., Erwin, E.H., Zhizhin, M. (2009). A fifteen year record of global natural gas flaring derived from satellite data. Energies 2(3): 595-622. doi:10.3390/en20300595",
        "model: poly2  DN' = c0 + c1*DN + c2*DN^2 ; reference F12 1999 ; invariant region Sicily",
        "rows: GRASS i.nightlights.intercalibration ELVIDGE2009 (single source); F15 2001 r2 printed there as -0.959 (sign typo) and stored here as 0.959",
    ]),
    "liu2012": ("#### T3.", ["satellite", "year", "a_dn2", "b_dn", "c_const", "r2"], [
        "Liu, Z., He, C., Zhang, Q., Huang, Q., Yang, Y. (2012). Extracting the dynamics of urban expansion in China using DMSP-OLS nighttime light data from 1992 to 2008. Landscape and Urban Planning 106(1): 62-72. doi:10.1016/j.landurbplan.2012.02.013",
        "model: poly2  DN' = a_dn2*DN^2 + b_dn*DN + c_const (published order; GRASS's code swaps a and c - not done here) ; reference F16 2007 ; invariant region Jixi, Heilongjiang",
        "rows: GRASS i.nightlights.intercalibration LIU2012 (single source); coverage 1992-2008",
    ]),
    "wu2013": ("#### T4.", ["satellite", "year", "a", "b", "r2"], [
        "Wu, J., He, S., Peng, J., Li, W., Zhong, X. (2013). Intercalibration of DMSP-OLS night-time light data by the invariant region method. International Journal of Remote Sensing 34(20): 7356-7368. doi:10.1080/01431161.2013.820365",
        "model: power  DN' = a*(DN+1)^b - 1 (GRASS omits the -1; deblur.m keeps it) ; invariant regions Mauritius, Puerto Rico, Okinawa",
        "rows: GRASS WU2013 = alexeiabrahams/nighttime-lights deblur.m (all rows identical); F18 only 2010 (GRASS's F18 2004-2009 copies are not real); values above 63 are by design",
    ]),
}

for name, (title, header, notes) in SPECS.items():
    rows = table(title)
    lines = [f"# {n}" for n in notes] + [",".join(header)]
    for r in rows:
        sat, year, *vals = r
        vals = [v.replace("\u2212", "-") for v in vals]
        if name == "elvidge2009" and sat == "F15" and year == "2001":
            vals[-1] = vals[-1].lstrip("-")
        lines.append(",".join([sat, year] + vals))
    (out / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(name, len(rows), "rows")
