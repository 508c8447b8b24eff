"""The quiz widget: labelled ipywidgets controls, a Check button, a live feedback area.

Displayed, it emits the live widget and, as a second output, a deterministic
``text/markdown`` (and ``text/plain``) form: item ID, question and options, never the
answer (hidden under the live widget; shown wherever the widget cannot run). So nbval,
nbviewer and GitHub see the same text on every run; that static form says how to
make the quiz live (run the cells), not "press Check", which needs the live widget.
The output is marked live (``metadata.lems_course.live``): the course's server
extension (``lems_course.widgets._saving``) keeps only the static form in a saved
file, so a reopened lesson shows the question instead of a widget error.

A quiz built again (Run All after coming back) shows the learner's last recorded
answer and its verdict, with a line saying it was answered before
(``_progress.last_answer``; progress is local and can be turned off).
"""

from __future__ import annotations

import html
from typing import Any

import anywidget
import ipywidgets
import traitlets

from . import _progress
from ._grading import RECORDED, RIGHT, WRONG, CheckResult, grade
from ._items import Item

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"

_HOW_TO = {
    "single": "Choose one option, then press Check.",
    "multiple": "Choose all options that apply, then press Check.",
    "numeric": "Type a number, then press Check.",
    "prediction": "Make your prediction and commit it before you explore (not graded).",
}
_KIND_LABEL = {
    "single": "one answer",
    "multiple": "choose all that apply",
    "numeric": "number",
    "prediction": "prediction, not graded",
}
ANSWER_CHANGED = ("Your answer has changed since it was checked. "
                  "Press Check to check the new answer.")
#: Static forms (no live widget) say how to make the quiz live instead of "press Check".
STATIC_HOW_TO = ("To answer, run this lesson's cells in JupyterLab "
                 "(Run → Run All Cells).")
#: First line of the feedback of a quiz restored from the progress file.
ANSWERED_BEFORE = "Answered before (your last answer is kept on this computer):"
#: Output metadata that marks a live widget output (see ``widgets._saving``).
LIVE_METADATA = {"lems_course": {"live": True}}


class LiveRegion(anywidget.AnyWidget):
    """Feedback text in a polite live region (``role="status"``).

    The region element is created once and only its text changes, which is what
    screen readers announce; an ``ipywidgets.HTML`` would replace the region itself
    on every update, and a freshly inserted region is often not read out. It also
    keeps JupyterLab's cell-navigation shortcuts off the quiz's arrow keys.
    """

    _esm = """
    function render({ model, el }) {
      const region = document.createElement("div");
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.className = "lems-quiz-feedback";
      region.style.whiteSpace = "pre-line";
      region.style.margin = "0.5em 0";
      const update = () => { region.textContent = model.get("message"); };
      update();
      model.on("change:message", update);
      el.appendChild(region);
      // JupyterLab's notebook takes ArrowUp/ArrowDown to move between cells, so a
      // keyboard user could not move between radio buttons. Keep arrow keys inside
      // the quiz box (found once the widget is in the page).
      const keepArrows = (event) => {
        if (event.key.startsWith("Arrow")) { event.stopPropagation(); }
      };
      // ipywidgets draws radio buttons without a shared `name`, so each is its own Tab
      // stop and Tab from the chosen option went on to the next options, not to Check.
      // One name per quiz makes them one group: Tab leaves it, arrows move inside it.
      const groupName = "lems-quiz-" + model.model_id;
      const groupRadios = () => {
        for (const input of box.querySelectorAll('input[type="radio"]')) {
          if (input.name !== groupName) input.name = groupName;
        }
      };
      // "Check" must grade what the learner sees. ipywidgets holds a control's new
      // value back while an earlier update is unanswered but sends a button click at
      // once, so the kernel could grade the previous answer (jupyter-widgets #3469).
      // The click is taken here instead and sent with the answer read from the page.
      // Listening on the document (capture phase) needs no wait for the quiz box to
      // exist; each quiz's listener takes only its own box's Check.
      const check = (event) => {
        const button = event.target.closest && event.target.closest(".lems-quiz-check");
        const quizBox = el.closest(".lems-quiz");
        if (!button || button.disabled || !quizBox || !quizBox.contains(button)) return;
        event.stopPropagation();
        event.preventDefault();
        button.dataset.lemsPageChecks = String(Number(button.dataset.lemsPageChecks || 0) + 1);
        const radios = [...quizBox.querySelectorAll('input[type="radio"]')];
        const ticks = [...quizBox.querySelectorAll('input[type="checkbox"]')];
        const field = quizBox.querySelector(".widget-text input, textarea");
        model.send({
          event: "check",
          choice: radios.length ? radios.findIndex((r) => r.checked) : null,
          ticked: ticks.length ? ticks.map((t) => t.checked) : null,
          text: field ? field.value : null,
        });
      };
      let tries = 0;
      let box = null;
      let observer = null;
      const guard = () => {
        box = el.closest(".lems-quiz");
        if (box) {
          box.addEventListener("keydown", keepArrows);
          groupRadios();
          // The radio view rebuilds its inputs when its options change.
          observer = new MutationObserver(groupRadios);
          observer.observe(box, { childList: true, subtree: true });
        }
        else if (tries++ < 100) { requestAnimationFrame(guard); }
      };
      guard();
      document.addEventListener("click", check, true);
      return () => {
        model.off("change:message", update);
        document.removeEventListener("click", check, true);
        if (box) { box.removeEventListener("keydown", keepArrows); }
        if (observer) { observer.disconnect(); }
      };
    }
    export default { render };
    """
    # ipywidgets gives each radio option and checkbox a fixed one-line height, so a long
    # option wrapped over the next one and covered its button. Let options grow instead.
    # A radio label is "text, then <input>" in the DOM, laid out by ipywidgets as a
    # reversed flex row; when the text wrapped, the button drifted below its first
    # line at narrow widths. A two-column grid keeps the button in column 1, beside
    # the first line, at every width (the text is auto-placed in column 2).
    _css = """
    .lems-quiz .widget-radio-box label,
    .lems-quiz .widget-checkbox label {
      height: auto; min-height: var(--jp-widgets-inline-height, 28px);
      white-space: normal; overflow: visible; line-height: 1.35;
      align-items: flex-start; padding: 3px 0;
    }
    .lems-quiz .widget-radio-box label {
      display: grid; grid-template-columns: auto minmax(0, 1fr);
      column-gap: 0.45em; align-items: start; justify-content: stretch;
    }
    .lems-quiz .widget-radio-box label > input[type="radio"] {
      grid-column: 1; grid-row: 1; margin: 0.2em 0 0 0;
    }
    .lems-quiz .widget-checkbox { height: auto; }
    .jp-OutputArea-child:has(.lems-quiz) ~ .jp-OutputArea-child:has(
        :is(.jp-RenderedMarkdown, [data-mime-type="text/markdown"])) { display: none; }
    .lems-quiz .widget-radio-box input,
    .lems-quiz .widget-checkbox input { flex-shrink: 0; margin-top: 0.2em; }
    """
    message = traitlets.Unicode("").tag(sync=True)


def plain_text(item: Item) -> str:
    """The item as deterministic text: ID, question, options, how to answer. No key."""
    lines = [f"Quiz {item.id} ({_KIND_LABEL[item.kind]})", item.question]
    lines += [f"  {option.key}) {option.text}" for option in item.options]
    if item.kind == "numeric":
        unit = f" in {item.unit}" if item.unit else ""
        lines.append(f"  Answer: a number{unit}.")
    if item.hint:
        lines.append(f"Hint: {item.hint}")
    lines.append(STATIC_HOW_TO)
    return "\n".join(lines)


def markdown_text(item: Item) -> str:
    """The same content as :func:`plain_text`, as Markdown."""
    lines = [f"**Quiz {item.id}** ({_KIND_LABEL[item.kind]})", "", item.question, ""]
    lines += [f"- {option.key}) {option.text}" for option in item.options]
    if item.kind == "numeric":
        unit = f" in {item.unit}" if item.unit else ""
        lines.append(f"- Answer: a number{unit}.")
    if item.hint:
        lines += ["", f"*Hint:* {item.hint}"]
    lines += ["", f"*{STATIC_HOW_TO}*"]
    return "\n".join(lines)


class QuizWidget:
    """One quiz item as an accessible widget.

    ``answer(value)`` grades a value exactly as the Check button does, shows the
    feedback, records progress (if enabled) and returns the :class:`CheckResult`.
    A prediction is recorded on commit and only then reveals the explanation.

    Feedback always describes what is on screen. ipywidgets holds back a control's
    new value while an earlier one is in flight but sends a button click at once,
    so a quick "select, then Check" could reach the kernel as "Check, then select"
    (jupyter-widgets issue #3469, holoviz/panel#6138). So Check in the page sends
    the answer the page shows with the click (:class:`LiveRegion`), and if the
    answer changes after a check, the feedback says so instead of judging the old one.
    """

    def __init__(self, item: Item) -> None:
        self.item = item
        self.result: CheckResult | None = None
        self._checked_value: Any = None
        self._question = ipywidgets.HTML(
            value=(f"<p><strong>Quiz {html.escape(item.id)}</strong> "
                   f"<em>({html.escape(_KIND_LABEL[item.kind])})</em></p>"
                   f"<p>{html.escape(item.question)}</p>"
                   + (f"<p><em>Hint:</em> {html.escape(item.hint)}</p>" if item.hint else "")))
        self._checkboxes: list[ipywidgets.Checkbox] = []
        self.control = self._build_control()
        is_prediction = item.kind == "prediction"
        self.button = ipywidgets.Button(
            description="Commit prediction" if is_prediction else "Check",
            tooltip=("Record your prediction and see what happens" if is_prediction
                     else "Check your answer"),
            layout=ipywidgets.Layout(width="auto", min_width="8em", align_self="flex-start"))
        self.feedback = LiveRegion()
        self.widget = ipywidgets.VBox(
            [self._question, self.control, self.button, self.feedback],
            layout=ipywidgets.Layout(border="1px solid #767676", padding="0.5em",
                                     margin="0.5em 0"))
        self.widget.add_class("lems-quiz")
        self.button.add_class("lems-quiz-check")
        self.button.on_click(self._on_click)   # a click from Python (tests, scripts)
        self.feedback.on_msg(self._on_page_check)
        for control in self._checkboxes or [self.control]:
            control.observe(self._on_answer_changed, names="value")
        self._restore()

    def _restore(self) -> None:
        """Show the learner's last recorded answer and its verdict, if there is one."""
        entry = _progress.last_answer(self.item.id)
        if not entry:
            return
        is_prediction = self.item.kind == "prediction"
        value = entry.get("prediction" if is_prediction else "answer")
        if value is None or not self._show_value(value):
            return
        result = grade(self.item, value, in_widget=True)
        if result.status not in ((RECORDED,) if is_prediction else (RIGHT, WRONG)):
            return  # the item changed since: the old answer no longer fits it
        self.result = result
        self._checked_value = self.value()
        self.feedback.message = f"{ANSWERED_BEFORE}\n{result.message}"
        if is_prediction:
            self.control.disabled = True
            self.button.disabled = True
            self.button.description = "Prediction recorded"

    def _show_value(self, value: Any) -> bool:
        """Put a recorded answer into the controls; False if it does not fit them."""
        try:
            if self._checkboxes:
                keys = {str(key) for key in value} if isinstance(value, list) else None
                if keys is None:
                    return False
                for option, box in zip(self.item.options, self._checkboxes, strict=True):
                    box.value = option.key in keys
            elif isinstance(self.control, ipywidgets.RadioButtons):
                if value not in [key for _label, key in self.control.options]:
                    return False
                self.control.value = value
            else:
                self.control.value = str(value)
        except (TypeError, ValueError, traitlets.TraitError):
            return False
        return True

    def _build_control(self) -> ipywidgets.Widget:
        item = self.item
        wide = ipywidgets.Layout(width="auto", max_width="100%")
        style = {"description_width": "initial"}
        if item.kind == "multiple":
            self._checkboxes = [
                ipywidgets.Checkbox(value=False, description=f"{option.key}) {option.text}",
                                    indent=False, layout=wide, style=style)
                for option in item.options]
            return ipywidgets.VBox([ipywidgets.Label("Your answer (all that apply):"),
                                    *self._checkboxes])
        if item.options:
            return ipywidgets.RadioButtons(
                options=[(f"{option.key}) {option.text}", option.key)
                         for option in item.options],
                value=None, description="Your answer:" if item.graded else "Your prediction:",
                layout=wide, style=style)
        if item.kind == "numeric":
            unit = f" ({item.unit})" if item.unit else ""
            return ipywidgets.Text(value="", description=f"Your answer{unit}:",
                                   placeholder="a number, e.g. 12.5", layout=wide,
                                   style=style, continuous_update=False)
        return ipywidgets.Textarea(value="", description="Your prediction:",
                                   placeholder="Write what you expect to see",
                                   layout=ipywidgets.Layout(width="100%"), style=style)

    def value(self) -> Any:
        """What the controls currently hold, in the form ``answer()`` accepts."""
        if self._checkboxes:
            return [option.key for option, box in zip(self.item.options, self._checkboxes,
                                                      strict=True) if box.value]
        return self.control.value

    def answer(self, value: Any) -> CheckResult:
        """Grade ``value``, show the feedback, record progress; return the result."""
        result = grade(self.item, value, in_widget=True)
        note = _progress.record(self.item.id, self.item.kind, result.status, value)
        result = result.with_note(note)
        self.result = result
        self._checked_value = value
        self.feedback.message = result.message
        if result.status == RECORDED:
            # A prediction is committed once, so the explanation cannot shape it.
            self.control.disabled = True
            self.button.disabled = True
            self.button.description = "Prediction recorded"
        return result

    def _on_click(self, _button: ipywidgets.Button) -> None:
        self.answer(self.value())

    def _on_page_check(self, _region: Any, content: Any, _buffers: Any) -> None:
        """Check pressed in the page: grade the answer the page showed at that moment."""
        if isinstance(content, dict) and content.get("event") == "check" \
                and not self.button.disabled:
            self.answer(self._page_value(content))

    def _page_value(self, content: dict[str, Any]) -> Any:
        """The answer in a page's check message, in the form ``answer()`` accepts; the
        kernel's copy of the controls where the message does not fit them."""
        options = self.item.options
        ticked, choice, text = content.get("ticked"), content.get("choice"), content.get("text")
        if self._checkboxes and isinstance(ticked, list) and len(ticked) == len(options):
            return [option.key for option, tick in zip(options, ticked, strict=True) if tick]
        if isinstance(self.control, ipywidgets.RadioButtons) and isinstance(choice, int):
            return options[choice].key if 0 <= choice < len(options) else None
        if isinstance(self.control, (ipywidgets.Text, ipywidgets.Textarea)) \
                and isinstance(text, str):
            return text
        return self.value()

    def _on_answer_changed(self, _change: dict[str, Any]) -> None:
        if self.result is None or self.result.status == RECORDED:
            return
        changed = self.value() != self._checked_value
        self.feedback.message = ANSWER_CHANGED if changed else self.result.message

    @property
    def text(self) -> str:
        return plain_text(self.item)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """(data, metadata): the live widget and its static forms, marked live."""
        bundle = {key: value for key, value in self.widget._repr_mimebundle_().items()
                  if key == WIDGET_MIMETYPE}
        bundle["text/plain"] = plain_text(self.item)
        bundle["text/markdown"] = markdown_text(self.item)
        return bundle, {key: dict(value) for key, value in LIVE_METADATA.items()}

    def _ipython_display_(self) -> None:
        """Two outputs: the live widget (marked live, its text left empty) and the
        static question (Markdown and text). While the widget is live a style rule
        hides the static copy under it; where no widget can run (an untouched or
        saved file, nbconvert HTML with or without stored widget state, GitHub) the
        question shows. A saved file keeps only the question (``widgets._saving``)."""
        from IPython.display import display

        live = {key: value for key, value in self.widget._repr_mimebundle_().items()
                if key == WIDGET_MIMETYPE}
        live["text/plain"] = ""
        display(live, raw=True, metadata={key: dict(value)
                                          for key, value in LIVE_METADATA.items()})
        display({"text/plain": plain_text(self.item),
                 "text/markdown": markdown_text(self.item)}, raw=True)

    def __repr__(self) -> str:
        return plain_text(self.item)
