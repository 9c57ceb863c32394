"""What every classroom browser test shares: the payload corpus, a watched browser tab per
person (dialogs, console errors, failed requests), and joining through the real join page."""

from __future__ import annotations

import re

PHONE = {"width": 390, "height": 844}
PAYLOADS = [
    '<img src=x onerror=alert(1) data-pwn=1>', '<script data-pwn=1>alert(2)</script>',
    '<svg data-pwn=1 onload=alert(3)>', '<iframe data-pwn=1 src="javascript:alert(4)">',
    '[x](javascript:alert(5))', '[click](javascript:alert(document.cookie))',
    '<a data-pwn=1 href="javascript:alert(6)">a</a>', '![i](x" onerror="alert(7))',
    '<b data-pwn=1>bold</b>', '**bold** _it_ `code`', '# heading', '<details data-pwn=1 open ontoggle=alert(8)>',
    '<body data-pwn=1 onload=alert(9)>', '<math data-pwn=1><mi>x</mi></math>', '$$\\alert{10}$$',
    '<input data-pwn=1 autofocus onfocus=alert(11)>', '"><img src=x onerror=alert(12) data-pwn=1>',
    "'><svg/onload=alert(13) data-pwn=1>", '<style data-pwn=1>*{display:none}</style>',
    '<object data-pwn=1 data="javascript:alert(14)">', '=HYPERLINK("http://evil")', '+1+1', '-2+3',
    '@SUM(A1)', '\u202eevil\u202c', 'a\u0000b\u0007c', 'zero\u200bwidth', '{{7*7}} ${7*7}',
    '<marquee data-pwn=1>x</marquee>', '<video data-pwn=1><source onerror=alert(15)></video>',
    '&lt;img src=x onerror=alert(16)&gt;', "javascript:alert(17)", "A" * 10_000,
]
CHECK = """() => ({
  pwn: document.querySelectorAll('[data-pwn], [onerror], [onload], [onfocus], [ontoggle]').length,
  js: [...document.querySelectorAll('[href], [src]')].filter(
        e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
})"""


class Watch:
    """A person's browser tab that records dialogs, console errors and failed requests."""

    def __init__(self, browser, viewport=None) -> None:
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # A request the page itself cancels by navigating away (Solara's "close this kernel"
        # beacon, a font still loading at a reload) is aborted, not failed; anything the
        # server refuses still shows as a response >= 400 below.
        self.page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
                     and self.errors.append(f"failed {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def clean(self) -> None:
        assert self.dialogs == [] and self.errors == [], (self.dialogs, self.errors[:5])
        state = self.page.evaluate(CHECK)
        assert state["pwn"] == 0 and state["js"] == 0, state

    def close(self) -> None:
        self.context.close()


def join_page(browser, base: str, code: str, name: str) -> Watch:
    w = Watch(browser, PHONE)
    w.page.goto(base + "/")
    w.page.get_by_label("Room code").fill(code)
    w.page.get_by_label("Your name (or your team's)").fill(name)
    w.page.get_by_role("button", name="Join").click()
    w.page.wait_for_url(re.compile(r"/seat\?t="))
    return w


def phone_ok(w: Watch) -> None:
    state = w.page.evaluate(CHECK)
    assert state["overflow"] <= 0, state
    assert w.page.get_by_role("tab").count() == 0  # no HOME/SEAT/TEACHER tabs
    submit = w.page.get_by_role("button", name="Submit decision")
    submit.scroll_into_view_if_needed()
    box = submit.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]




def take_seat(w: Watch, title: str = "") -> str:
    """Pick ``title`` (or the first) of the empty seats; wait for the decision form."""
    w.page.get_by_role("button", name="Take this seat").wait_for()
    w.page.locator(".v-select").first.click()
    item = w.page.locator(".menuable__content__active .v-list-item", has_text=title).first
    title = item.inner_text().strip()
    item.click()
    w.page.get_by_role("button", name="Take this seat").click()
    w.page.get_by_role("button", name="Submit decision").wait_for()
    return title


def seat_token(w: Watch) -> str:
    return w.page.url.split("?t=")[1]


def alerts(w: Watch) -> list[str]:
    """The messages the page shows (Vuetify alerts), as the person reads them."""
    return [a.strip() for a in w.page.locator(".v-alert").all_inner_texts()]
