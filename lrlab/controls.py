"""The controls layer: parameters become widgets, and one object owns them and the update callback.

- :class:`Param` (a slider's range) and :class:`Choice` (a menu) describe a parameter;
  ``widget(name)`` makes its ipywidget, always showing its value;
- :class:`Controls` owns a set of them (the widgets, their layout, the preset buttons, the exact
  values set from Python, ``values`` and ``set()``) and calls one function when they change;
- :class:`Player` is Play and a step slider, linked in the browser;
- :class:`ViewStrip` shows canvases on the page: their data layers in one image, and over it a
  :class:`lrlab.frames.FrameLayer` on which the browser draws every frame, following the step slider;
- :class:`Dashboard` is what every dashboard shares on display: the live widget for a front end,
  plus a still picture of its views and a stable line of text for everywhere else.

The descent and schedule panels (:mod:`lrlab.widgets`) and the explorer are built from these.
"""

from __future__ import annotations

import base64
import contextlib
import math
from dataclasses import dataclass

import ipywidgets as W
import traitlets
import numpy as np

from . import _validate as check
from .canvas import encode_png
from .frames import FrameLayer

__all__ = ["Param", "Choice", "Controls", "Player", "Dashboard", "ViewStrip", "Animated", "PLAY_INTERVAL"]

#: Milliseconds Play waits after a step before the next. The page draws each frame itself
#: (lrlab.frames), so a step costs the browser some 25-30 ms more: about 25-30 frames per second
#: on a 2-core machine (benchmarks/bench_browser.py).
PLAY_INTERVAL = 10


@dataclass(frozen=True)
class Param:
    """One slider: the range of a parameter and how to move through it.

    min, max   the range (for ``log=True`` both must be > 0),
    value      the starting value (default: the middle of the range, geometric for log),
    step       the slider's step (default: 1/100 of the range; 1 for integers),
    log        a logarithmic slider (for rates that span decades),
    integer    an integer slider (step counts),
    label      the text beside the slider (default: the parameter's name).
    Every slider shows its current value.
    """

    min: float
    max: float
    value: float | None = None
    step: float | None = None
    log: bool = False
    integer: bool = False
    label: str | None = None

    def __post_init__(self):
        lo = check.real("min", self.min)
        hi = check.real("max", self.max)
        if hi <= lo:
            raise ValueError(f"max must exceed min ({lo!r}), got max={hi!r}")
        if self.log and lo <= 0:
            raise ValueError(f"min must be positive for a log slider, got min={lo!r}")
        if self.log and self.integer:
            raise ValueError("a slider cannot be both log=True and integer=True")
        if self.value is not None:
            v = check.real("value", self.value)
            if not lo <= v <= hi:
                raise ValueError(f"value must be within [min, max] = [{lo!r}, {hi!r}], got value={v!r}")
        if self.step is not None:
            check.positive("step", self.step)

    def initial(self):
        if self.value is not None:
            return int(self.value) if self.integer else float(self.value)
        if self.integer:
            return int(round((self.min + self.max) / 2))
        if self.log:
            return float(math.sqrt(self.min * self.max))
        return float((self.min + self.max) / 2)

    def widget(self, name: str, width: str = "320px", label_width: str = "initial") -> W.ValueWidget:
        # continuous_update=False: a slider that sends while it moves also writes its value back,
        # rounded to its step, when it is first drawn, which would move presets off their values.
        common = dict(description=self.label or name, continuous_update=False, readout=True,
                      style={"description_width": label_width}, layout=W.Layout(width=width))
        if self.integer:
            return W.IntSlider(value=self.initial(), min=int(self.min), max=int(self.max),
                               step=int(self.step or 1), **common)
        if self.log:
            lo, hi = math.log10(self.min), math.log10(self.max)
            return W.FloatLogSlider(value=self.initial(), base=10, min=lo, max=hi,
                                    step=self.step or (hi - lo) / 100, readout_format=".3g", **common)
        return W.FloatSlider(value=self.initial(), min=self.min, max=self.max,
                             step=self.step or (self.max - self.min) / 100, readout_format=".3g", **common)

    def slider(self, name: str) -> W.ValueWidget:
        """The slider of this parameter, at the panels' width (``widget`` with its defaults)."""
        return self.widget(name)

    def fit(self, widget) -> None:
        """Give an existing slider of this kind this range and step (its value is set apart)."""
        if isinstance(widget, W.FloatLogSlider):
            widget.min, widget.max = math.log10(self.min), math.log10(self.max)
            widget.step = (widget.max - widget.min) / 100
        else:
            widget.min, widget.max = self.min, self.max
            if self.step is not None and not isinstance(widget, W.IntSlider):
                widget.step = self.step


@dataclass(frozen=True)
class Choice:
    """One menu: ``options`` (values, or (label, value) pairs) and the value chosen first."""

    options: tuple
    value: object
    label: str | None = None

    def __post_init__(self):
        values = [o[1] if isinstance(o, tuple) else o for o in self.options]
        if self.value not in values:
            raise ValueError(f"value must be one of the options {values}, got {self.value!r}")

    def initial(self):
        return self.value

    def widget(self, name: str, width: str = "320px", label_width: str = "initial") -> W.Dropdown:
        return W.Dropdown(options=list(self.options), value=self.value, description=self.label or name,
                          style={"description_width": label_width}, layout=W.Layout(width=width))


class Controls:
    """Parameters, their widgets, the preset buttons and the one callback that reacts to them.

    params     {name: Param or Choice},
    on_change  called as ``on_change(name)`` after a widget moved, and ``on_change(None)``
               after :meth:`set` (once, whatever it changed),
    presets    {"button label": {name: value, ...}}: buttons that :meth:`set` those values.
    ``values`` gives the values set from Python exactly: a log slider holds base**log(value), which
    can differ in the last bit (50 -> 49.99999999999999), both when its front end sends a value
    back and when it clamps to its range.
    """

    def __init__(self, params: dict, on_change=None, presets=None, width="320px", label_width="initial"):
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict of name -> Param, got {params!r}")
        for name, p in params.items():
            if not isinstance(p, (Param, Choice)):
                raise TypeError(f"params[{name!r}] must be a Param, got {p!r}")
        self.params = dict(params)
        self.on_change = on_change
        self.widgets = {name: p.widget(name, width, label_width) for name, p in self.params.items()}
        self._exact = {name: p.initial() for name, p in self.params.items()}
        self._quiet = False
        for name, w in self.widgets.items():
            w.observe(lambda _change, name=name: self._moved(name), names="value")
        self.buttons = []
        for label, values in (presets or {}).items():
            unknown = set(values) - set(self.widgets)
            if unknown:
                raise ValueError(f"presets[{label!r}] names unknown parameters {sorted(unknown)}; "
                                 f"known: {sorted(self.widgets)}")
            button = W.Button(description=label, tooltip=f"set {values}", layout=W.Layout(width="auto"))
            button.on_click(lambda _b, values=values: self.set(**values))
            self.buttons.append(button)

    @property
    def values(self) -> dict:
        out = {}
        for name, w in self.widgets.items():
            value, exact = w.value, self._exact.get(name)
            if (isinstance(value, float) and isinstance(exact, float)
                    and abs(value - exact) <= 1e-12 * abs(exact)):
                value = exact  # only a rounding away from what Python set: keep Python's number
            out[name] = value
        return out

    @contextlib.contextmanager
    def quiet(self):
        """Move widgets without calling ``on_change``."""
        before, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = before

    def assign(self, **values) -> None:
        """Move widgets from code, keeping each value exactly, without calling ``on_change``."""
        unknown = set(values) - set(self.widgets)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; this panel has {sorted(self.widgets)}")
        with self.quiet():
            for name, value in values.items():
                w = self.widgets[name]
                w.value = value
                # Kept as the plain number the slider holds (float or int), but not rounded: a log
                # slider clamps to base**log10(max), which may be 1 ulp off.
                held = w.value
                self._exact[name] = float(value) if isinstance(held, float) else held

    def set(self, **values) -> None:
        """Move widgets from code (as a preset button does), then call ``on_change(None)`` once."""
        self.assign(**values)
        if self.on_change is not None:
            self.on_change(None)

    def refit(self, name: str, param: Param, value) -> None:
        """Give slider ``name`` a new range (``param``) and value, without calling ``on_change``."""
        w = self.widgets[name]
        with self.quiet(), w.hold_trait_notifications():
            param.fit(w)
            w.value = value
        self.params[name] = param
        self._exact[name] = w.value

    def _moved(self, name):
        if not self._quiet and self.on_change is not None:
            self.on_change(name)


class _Play(W.Play):
    # The page is the only writer of a Play widget's value while it plays: not echoing each value
    # back halves what the kernel sends per frame (ipywidgets echoes every update it receives, for
    # other views of the same widget; a second view of a panel then shows the step a frame late).
    value = traitlets.CInt(0, help="Int value").tag(sync=True, echo_update=False)


class _StepSlider(W.IntSlider):
    value = traitlets.CInt(0, help="Int value").tag(sync=True, echo_update=False)  # as _Play's


class Player:
    """Play and a step slider over 0..steps, linked in the browser; ``on_frame(k)`` shows step k."""

    def __init__(self, steps: int, on_frame, interval: int = PLAY_INTERVAL):
        self.play = _Play(value=steps, min=0, max=steps, step=1, interval=interval, description="Play",
                           show_repeat=False)
        self.slider = _StepSlider(value=steps, min=0, max=steps, description="step", readout=True,
                                  continuous_update=True, layout=W.Layout(width="420px"))
        self.link = W.jslink((self.play, "value"), (self.slider, "value"))  # frames run in the browser
        self._quiet = False
        self.slider.observe(lambda change: None if self._quiet else on_frame(change["new"]), names="value")
        self.widget = W.HBox([self.play, self.slider])

    def reset(self, steps: int) -> None:
        """A run of a new length: both span 0..steps and stand at its end (no frame is drawn)."""
        self._quiet = True
        try:
            self.play.max = self.slider.max = steps
            self.play.value = self.slider.value = steps
        finally:
            self._quiet = False


class ViewStrip:
    """Canvases side by side on the page: their data layers in one image, their frames drawn over it
    by the browser.

    ``canvases()`` gives the canvases (of one height) left to right, ``marks()`` (optional) one list
    of :meth:`lrlab.canvas.Canvas.mark` dicts per canvas: every marker at every step. :meth:`show`
    sends the data layers (encoded again only when one was redrawn) and the marks; :meth:`follow`
    names the step slider whose value the browser draws, so that moving it, by hand or by Play,
    needs nothing from the kernel. Both layers are shown at 100% of the notebook's width, up to
    the canvases' own width, so a narrow notebook shows the views smaller, never cut off.
    """

    def __init__(self, canvases, marks=None):
        self.canvases, self.marks = canvases, marks
        width = f"{sum(float(c.width[:-2]) for c in canvases()):.0f}px"
        self.base = W.Image(format="png", layout=W.Layout(width="100%", grid_area="view"))
        self.frames = FrameLayer(layout=W.Layout(width="100%", grid_area="view"))
        self.widget = W.GridBox([self.base, self.frames],
                                layout=W.Layout(grid_template_areas='"view"', width="100%", max_width=width))
        self.widget.add_class("lrlab-view")  # what the browser tests and benchmark look for
        self._shown = ()

    def close(self) -> None:
        """Close the strip's widgets (a strip replaced by another, e.g. for the projector)."""
        for widget in (self.base, self.frames, self.widget):
            widget.close()

    def follow(self, slider: W.IntSlider) -> None:
        """Draw the frame at the step ``slider`` shows (in the browser, as it moves)."""
        self.frames.clock = slider

    def show(self) -> None:
        """Send what changed: the data layers if one was redrawn, and every marker's positions."""
        canvases = self.canvases()
        layers = tuple(c.base_pixels() for c in canvases)
        if len(layers) != len(self._shown) or any(a is not b for a, b in zip(layers, self._shown)):
            self.base.value = encode_png(np.hstack(layers))
            self._shown = layers
        marks, left = [], 0
        for canvas, layer, listed in zip(canvases, layers, self.marks() if self.marks else [[]] * len(layers)):
            for mark in listed:
                key = "segments" if mark["trail"] else "xy"  # x at the even places of either
                marks.append(dict(mark, **{key: [v if v is None or i % 2 else round(v + left, 1)
                                                 for i, v in enumerate(mark[key])]},
                                  clip=[mark["clip"][0] + left] + mark["clip"][1:]))
            left += layer.shape[1]
        with self.frames.hold_sync():
            self.frames.width, self.frames.height = left, max(layer.shape[0] for layer in layers)
            if marks != self.frames.marks:
                self.frames.marks = marks

    @property
    def value(self) -> bytes:
        """The picture as it stands (every canvas's data layer and current frame), as one PNG."""
        canvases = self.canvases()
        base = np.hstack([c.base_pixels() for c in canvases]).astype(np.float32)
        over = np.hstack([c.overlay_pixels() for c in canvases]).astype(np.float32)
        alpha = over[..., 3:4] / 255.0
        return encode_png(np.round(over[..., :3] * alpha + base * (1.0 - alpha)).astype(np.uint8))


class Dashboard:
    """What every dashboard shares on display. Subclasses set ``widget`` and ``strip`` (a ViewStrip)."""

    widget: W.Widget
    strip: ViewStrip

    def snapshot(self) -> bytes:
        """The views as they are now, side by side, as one PNG."""
        return self.strip.value

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The live widget for a front end, plus a still picture and a stable text line.

        JupyterLab shows the widget; where no widget can run (a notebook viewed on the web,
        an export) the picture of the views is shown instead. The text is what nbval and
        plain-text front ends see, with no model id in it.
        """
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(self.snapshot()).decode("ascii")
        bundle["text/plain"] = repr(self)
        return bundle


class Animated(Dashboard):
    """A dashboard of runs in views (``views``, a :class:`lrlab.views.DescentViews`) with a ``player``:
    the parts tests and notebooks reach, named alike in the panels and the explorer."""

    play = property(lambda self: self.player.play, doc="the Play widget")
    step_slider = property(lambda self: self.player.slider, doc="the step slider Play drives")
    map = property(lambda self: self.views.map, doc="the map view (a canvas)")
    loss_view = property(lambda self: self.views.loss, doc="the loss view (a canvas)")
    lr_view = property(lambda self: self.views.rate, doc="the learning-rate view (a canvas)")
