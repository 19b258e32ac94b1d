/**
 * GeoTIFF georeferencing tags → GDAL-order geotransform, the way GDAL computes it: ModelTiepoint +
 * ModelPixelScale, or ModelTransformation; PixelIsPoint rasters are shifted by half a pixel up-left
 * (GDAL's default, GTIFF_POINT_GEO_IGNORE=FALSE), since GDAL geotransforms always describe pixel corners.
 */
import { NtlError } from '../errors.js';
import type { GeoTransform } from './types.js';

export interface GeorefTags {
  readonly tiepoints?: Float64Array;
  readonly pixelScale?: Float64Array;
  readonly transformation?: Float64Array;
  readonly pixelIsPoint: boolean;
}

export function geoTransformFrom(tags: GeorefTags, path: string): GeoTransform {
  let gt: [number, number, number, number, number, number];
  const { tiepoints: tp, pixelScale: sc, transformation: m } = tags;
  if (tp && tp.length >= 6 && sc && sc.length >= 2) {
    gt = [tp[3] - tp[0] * sc[0], sc[0], 0, tp[4] + tp[1] * sc[1], 0, -sc[1]];
  } else if (m && m.length >= 16) {
    gt = [m[3], m[0], m[1], m[7], m[4], m[5]];
  } else if (tp && tp.length >= 6) {
    throw new NtlError(
      `${path} is georeferenced only by ground control points (${tp.length / 6} tiepoints, no pixel scale); ` +
        'rectify it first, e.g. gdalwarp -t_srs EPSG:4326 in.tif out.tif.',
    );
  } else {
    throw new NtlError(
      `${path} has no georeferencing (no ModelTiepoint/ModelPixelScale or ModelTransformation tag), so its pixels ` +
        'cannot be placed on a map. Assign the grid with gdal_translate -a_ullr <ulx> <uly> <lrx> <lry> -a_srs EPSG:4326, ' +
        'or use the original georeferenced file.',
    );
  }
  if (!gt.every(Number.isFinite) || gt[1] === 0 || gt[5] === 0) {
    const what = !gt.every(Number.isFinite) ? 'non-finite numbers' : 'a pixel size of 0';
    throw new NtlError(
      `${path} has no usable georeferencing: its geotransform [${gt.join(', ')}] has ${what}, so its pixels cannot be ` +
        'placed on a map. Add the grid with gdal_edit.py -a_ullr <ulx> <uly> <lrx> <lry> -a_srs EPSG:4326 (in place) or ' +
        'gdal_translate -a_ullr <ulx> <uly> <lrx> <lry> -a_srs EPSG:4326 in.tif out.tif (corners and CRS of the product), ' +
        'or use the original georeferenced file.',
    );
  }
  if (tags.pixelIsPoint) {
    gt[0] -= gt[1] * 0.5 + gt[2] * 0.5;
    gt[3] -= gt[4] * 0.5 + gt[5] * 0.5;
  }
  return gt;
}
