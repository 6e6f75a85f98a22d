"""Streamlit widgets drawn right to left in Arabic: a toggle keeps its thumb on its track,
a character counter does not sit over the text, the map's scale is in Arabic units."""

from __future__ import annotations

import re

from playwright.sync_api import expect

TRACK = "label > div:not([data-testid])"


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
    )


def test_an_arabic_toggle_keeps_its_thumb_on_its_track_both_ways(page, open_app, wait_for_app):
    open_app(page, "/table?lang=ar")
    toggle = page.locator('[data-testid="stCheckbox"]', has_text="الأحدث أولًا")
    track = toggle.locator(TRACK)
    thumb = track.locator("div").first
    before = thumb.bounding_box()
    assert _inside(before, track.bounding_box()), (before, track.bounding_box())
    was = toggle.get_attribute("data-selected")
    toggle.locator("label").click()
    expect(toggle).not_to_have_attribute("data-selected", was or "")
    wait_for_app(page)
    page.wait_for_timeout(400)  # the thumb slides
    after = thumb.bounding_box()
    assert _inside(after, track.bounding_box()), (after, track.bounding_box())
    assert abs(after["x"] - before["x"]) > 4  # it moved, and stayed in sight


def test_an_arabic_character_counter_sits_under_its_box(page, open_app):
    open_app(page, "/?lang=ar")
    box = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"]').filter(
        has=page.locator('input[aria-label="بحث نصي"]')
    )
    field = box.locator("input")
    field.click()
    field.type("دمشق")
    counter = box.locator('[data-testid="InputInstructions"]')
    expect(counter).to_contain_text("4/200")
    typed = field.bounding_box()
    under = counter.bounding_box()
    assert under["y"] >= typed["y"] + typed["height"] - 1, (typed, under)


def test_the_curate_article_box_counter_sits_under_the_box_too(page, open_app):
    open_app(page, "/curate?lang=ar")
    box = page.locator('[data-testid="stForm"] [data-testid="stTextArea"]').first
    field = box.locator("textarea")
    field.click()
    field.type("اجتماع في مراكش")
    counter = box.locator('[data-testid="InputInstructions"]')
    expect(counter).to_contain_text("15/200000")
    typed = field.bounding_box()
    under = counter.bounding_box()
    assert under["y"] >= typed["y"] + typed["height"] - 1, (typed, under)


def test_the_arabic_map_scale_is_in_arabic_units(page, open_app):
    open_app(page, "/map?lang=ar")
    frame = page.frame_locator('iframe[data-testid="stCustomComponentV1"]').first
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale.first).to_have_text(re.compile(r"^\d+ (كم|م)$"), timeout=30_000)
    expect(scale.nth(1)).to_be_hidden()  # miles


_WORDS_X = """(args) => {
  const [text, words] = args;
  const box = document.createElement("div");
  box.dir = "rtl";
  box.style.cssText = "position:absolute;top:0;left:0;white-space:nowrap";
  box.textContent = text;
  document.body.appendChild(box);
  const node = box.firstChild, xs = {};
  for (const word of words) {
    const range = document.createRange(), at = text.indexOf(word);
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    xs[word] = range.getBoundingClientRect().x;
  }
  box.remove();
  return xs;
}"""


def test_the_sidebar_date_hint_puts_the_year_where_the_curate_date_field_does(page, open_app):
    """Both show the year at the left, where a typed date (digits, left to right) has it."""
    open_app(page, "/curate?lang=ar")
    dated = page.locator('[data-testid="stSidebar"] input[placeholder*="سنة"]').first
    expect(dated).to_be_visible(timeout=30_000)  # the sidebar is drawn after the page's top
    hint = dated.get_attribute("placeholder")
    xs = page.evaluate(_WORDS_X, [hint, ["سنة", "شهر", "يوم"]])
    assert xs["سنة"] < xs["شهر"] < xs["يوم"], (hint, xs)
    field = page.locator('[data-testid="stDateInputField"]').first
    segments = field.locator('[role="spinbutton"]')
    expect(field).to_contain_text("يوم", timeout=30_000)  # the Arabic words are in
    at = {s.inner_text(): s.bounding_box()["x"] for s in segments.all()}
    assert at["سنة"] < at["شهر"] < at["يوم"], at
