"""A chart in a PDF as vectors: a matplotlib renderer whose pen is the ReportLab canvas.

matplotlib lays the figure out (charts.draw, the same function the dashboard shows on
screen) and hands each path and each string to this renderer: paths become PDF paths and
strings PDF text in the bundled Liberation Sans, so a printed chart is sharp at any
zoom, its labels can be searched and copied, and no image is embedded. It needs no new
dependency: svglib or pdfrw would do the same through an SVG or PDF file in between, and
lose the font choice or the text on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.transforms import Affine2DBase
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.documents import fonts
from app.documents.fonts import text

CAPS = {"butt": 0, "round": 1, "projecting": 2}
JOINS = {"miter": 0, "round": 1, "bevel": 2}


class CanvasRenderer(RendererBase):
    """Draws a figure made at 72 dpi (one pixel is one point) at the canvas's origin."""

    def __init__(self, canv: Canvas, width: float, height: float) -> None:
        super().__init__()
        self.canv = canv
        self.width, self.height = width, height

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: float) -> float:  # type: ignore[override]
        return points

    def flipy(self) -> bool:
        return False

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()

    def draw_path(
        self,
        gc: GraphicsContextBase,
        path: Path,
        transform: Affine2DBase,
        rgbFace: Any = None,
    ) -> None:
        c = self.canv
        fill = rgbFace is not None and (len(rgbFace) < 4 or rgbFace[3] > 0)
        r, g, b, a = gc.get_rgb()
        stroke = gc.get_linewidth() > 0 and a > 0
        if not (fill or stroke):
            return
        c.saveState()
        self._clip(gc)
        if fill:
            alpha = rgbFace[3] if len(rgbFace) > 3 and not gc.get_forced_alpha() else gc.get_alpha()
            c.setFillColorRGB(*rgbFace[:3], alpha=alpha)
        if stroke:
            c.setStrokeColorRGB(r, g, b, alpha=a)
            c.setLineWidth(gc.get_linewidth())
            c.setLineCap(CAPS.get(str(gc.get_capstyle()), 0))
            c.setLineJoin(JOINS.get(str(gc.get_joinstyle()), 0))
            offset, dashes = gc.get_dashes()
            if dashes:
                c.setDash(list(dashes), offset or 0)
        c.drawPath(self._path(path, transform), stroke=int(stroke), fill=int(fill))
        c.restoreState()

    def draw_text(  # type: ignore[override]
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        if ismath:  # "$…$" formulas: as outlines, the way matplotlib draws them
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        c = self.canv
        weight = prop.get_weight()
        bold = weight in ("bold", "heavy", "black", "semibold", "demibold") or (
            isinstance(weight, int) and weight >= 600
        )
        c.saveState()
        self._clip(gc)
        r, g, b, a = gc.get_rgb()
        c.setFillColorRGB(r, g, b, alpha=a)
        c.setFont(fonts.SANS + ("-Bold" if bold else ""), prop.get_size_in_points())
        c.translate(x, y)
        if angle:
            c.rotate(angle)
        c.drawString(0, 0, text(s))
        c.restoreState()

    def _clip(self, gc: GraphicsContextBase) -> None:
        c = self.canv
        box = gc.get_clip_rectangle()
        if box is not None:
            x0, y0, w, h = box.bounds
            clip = c.beginPath()
            clip.rect(x0, y0, w, h)
            c.clipPath(clip, stroke=0, fill=0)
        clip_path, affine = gc.get_clip_path()
        if clip_path is not None:
            c.clipPath(self._path(clip_path, affine), stroke=0, fill=0)

    def _path(self, path: Path, transform: Affine2DBase) -> Any:
        out = self.canv.beginPath()
        last = (0.0, 0.0)
        for points, code in path.iter_segments(transform, remove_nans=True, simplify=False):
            if code == Path.MOVETO:
                out.moveTo(*points)
            elif code == Path.LINETO:
                out.lineTo(*points)
            elif code == Path.CURVE3:  # a quadratic curve, as the cubic PDF draws
                (qx, qy), (x, y) = points[:2], points[2:]
                out.curveTo(
                    last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1]),
                    x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y), x, y,
                )  # fmt: skip
            elif code == Path.CURVE4:
                out.curveTo(*points)
            elif code == Path.CLOSEPOLY:
                out.close()
                continue
            last = (points[-2], points[-1])
        return out


class VectorChart(Flowable):
    """A flowable of the given size in points whose figure `draw` fills when it is placed."""

    def __init__(self, draw: Callable[[Figure], None], width: float, height: float) -> None:
        super().__init__()
        self.draw_figure = draw
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        fig = Figure(figsize=(self.width / 72, self.height / 72), dpi=72)
        FigureCanvasAgg(fig)  # lays the text out with the same font files
        self.draw_figure(fig)
        fonts.register()
        fig.draw(CanvasRenderer(self.canv, self.width, self.height))
