"""Reading a boundary (四至边界, 附件2 一) from a GeoJSON file an applicant uploads or pastes,
and measuring it.

Accepted (RFC 7946): a FeatureCollection holding exactly one feature, a Feature, or a bare
Polygon or MultiPolygon geometry, in WGS 84 longitude/latitude (the only coordinate system
RFC 7946 §4 allows; CGCS2000 geographic, EPSG:4490, differs from it by centimetres and is
accepted too). The result is the geometry with positions cut to ``[longitude, latitude]``
(7 decimals, about 1 cm), its geodesic area and perimeter, and its bounding box.

The geometry is judged by the libraries made for it: GEOS (through shapely 2) says whether the
rings bound a valid area, with the reason and the place, in the longitude/latitude plane where
RFC 7946 draws its straight edges; GeographicLib (through pyproj's ``Geod`` on the WGS84
ellipsoid) gives the area and perimeter (:func:`measure`, also used for the polygon of an
accounting file). The typed rings and the errors are :mod:`lowcarbon.core.geodesy`'s.

What goes wrong in practice, and what each refusal says (every one a :class:`GeoJsonError`
whose :class:`~lowcarbon.core.messages.Message` names what was found and what is expected):

* the file is too large, nested too deep, not UTF-8 text, or not JSON (with the line and
  column);
* the top level is not one of the accepted types, a collection holds no or several features,
  or the geometry is a point or line, which has no area;
* the coordinates are projected (a ``crs`` member naming a projection, or numbers in metres
  such as 3 466 000, as Shanghai's local grid and Web Mercator give) or written latitude
  first ([31.2, 121.4] instead of [121.4, 31.2]);
* the boundary lies outside the programme's region (Shanghai, with a margin);
* a ring is not closed or has fewer than 4 positions; a ring crosses or touches itself, a hole
  crosses its outer ring, lies outside it or inside another hole (each said with the position
  where it happens, however many positions the ring has); two polygons of a MultiPolygon
  overlap (said with the area they share: a boundary is one area, so overlapping parts are a
  drawing mistake and are refused rather than merged; parts that are apart or only touch are
  accepted and measured as their union); or the polygon encloses no area.

A boundary that crosses the antimeridian or surrounds a pole is outside what this module
measures (straight lon/lat edges cannot draw it); no Shanghai zone comes near either.

The package follows the reading: :mod:`.boundary` holds the result, the region and the error,
:mod:`.reading` decodes the file and finds its geometry, :mod:`.coordinates` checks the
coordinate system and positions, :mod:`.measuring` judges and measures the polygons, and
:mod:`.parsing` puts the steps together.
"""

from .boundary import SHANGHAI, Boundary, GeoJsonError, Region
from .coordinates import MAX_POSITIONS
from .measuring import measure
from .parsing import parse_boundary
from .reading import MAX_BYTES, MAX_DEPTH

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_POSITIONS",
    "SHANGHAI",
    "Boundary",
    "GeoJsonError",
    "Region",
    "measure",
    "parse_boundary",
]
