"""The browser under the platform's Content-Security-Policy (issue 11, findings 9 and 10).

Every main page of an applicant and of the administrator is opened with a listener for the
browser's own reports of a policy violation (the ``securitypolicyviolation`` event and the
console's "Refused to …" errors): none may occur, so the strict policy (self only, nothing
inline) broke nothing. The listener is first shown to catch a violation. Then the editor: a
refused save brings back what was typed, HTML included, and the editor must show it without
ever putting it into the page as HTML.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.models import Application
from lowcarbon.web.rounds.actions import do_open_round

from .conftest import PASSWORD, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Recorded in the page before any of its scripts run (an init script is not subject to CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def community_application(admin_user: User, applicant: User) -> Application:
    today = timezone.localdate()
    round_ = do_open_round(
        year=2098,
        kinds=["community"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"community": "2021"},
        outline_editions={"community": "2021"},
        factor_set_id="shanghai-2022",
        actor=admin_user,
    )
    return do_create_application(
        round_,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )


class Violations:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.console.append(text)

    def on(self, url: str) -> list[str]:
        """Open ``url`` and return the violations it reported."""
        self.console.clear()
        response = self.page.goto(url)
        assert response is not None
        assert response.status == 200, (url, response.status)
        self.page.wait_for_load_state("networkidle")
        reported: list[Any] = self.page.evaluate("window.__violations")
        return [f"{url}: {v}" for v in [*reported, *self.console]]


def sign_in(page: Page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_no_page_reports_a_policy_violation(
    community_application: Application, page: Page, site: str, shots: Shots
) -> None:
    pk = community_application.pk
    applicant_pages = [
        reverse("home"),
        reverse("applications:list"),
        reverse("applications:workspace", args=[pk]),
        reverse("applications:edit_section", args=[pk, "1.1"]),  # map, tables, rich text
        reverse("applications:edit_section", args=[pk, "2.1"]),
        reverse("applications:baseline", args=[pk]),
        reverse("applications:results", args=[pk]),
        reverse("applications:assessment", args=[pk]),
        reverse("applications:submission", args=[pk]),
        reverse("documents:list", args=[pk]),
        reverse("rounds:detail", args=[community_application.round_id]),
    ]
    admin_pages = [
        reverse("home"),
        reverse("rounds:open"),
        reverse("review:panels"),
        reverse("documents:templates"),
        "/admin/",
    ]
    violations = Violations(page)

    # The listener hears a violation when there is one: an inline script put into the page.
    assert violations.on(site + reverse("login")) == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__violations"))

    found: list[str] = []
    found += violations.on(site + reverse("login"))
    sign_in(page, "applicant")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    for url in applicant_pages:
        found += violations.on(site + url)
    shots("applicant-pages")
    page.context.clear_cookies()
    violations.on(site + reverse("login"))
    sign_in(page, "admin")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    for url in admin_pages:
        found += violations.on(site + url)
    shots("admin-pages")
    assert found == []


PAYLOAD = (
    "<p>街道办事处牵头 &amp; 居委会&lt;共建&gt;</p>"
    '<img src="x" onerror="document.title=\'pwned\'">'
    "<script>document.title = 'pwned'</script>"
    '<p style="color: red" onclick="document.title=\'pwned\'"><b>居委会</b></p>'
)


def test_a_refused_save_shows_what_was_typed_without_running_it(
    community_application: Application, page: Page, site: str, shots: Shots
) -> None:
    violations = Violations(page)
    url = site + reverse("applications:edit_section", args=[community_application.pk, "1.2"])
    page.goto(url)
    sign_in(page, "applicant")
    expect(page.get_by_role("heading", name="1.2", exact=False)).to_be_visible()
    # What a browser without the editor would send (plain text that looks like HTML), from a
    # version someone else has since replaced: the save is refused and the text comes back.
    page.evaluate(
        """(payload) => {
          const form = document.querySelector("form.plan-form");
          const textarea = form.querySelector("textarea[name=implementing_bodies]");
          const clone = document.createElement("form");
          clone.method = "post";
          clone.action = form.action;
          for (const field of form.querySelectorAll("input[type=hidden]")) {
            if (field.name.endsWith("__format")) continue;
            const copy = document.createElement("input");
            copy.type = "hidden";
            copy.name = field.name;
            copy.value = field.name === "version" ? "999" : field.value;
            clone.appendChild(copy);
          }
          const text = document.createElement("textarea");
          text.name = textarea.name;
          text.value = payload;
          clone.appendChild(text);
          document.body.appendChild(clone);
          clone.submit();
        }""",
        PAYLOAD,
    )
    expect(page.get_by_text("他人已先保存了本申报")).to_be_visible()
    editor = page.locator("#editor-implementing_bodies .richtext-area")
    expect(editor).to_contain_text("街道办事处牵头 & 居委会<共建>")
    expect(editor.locator("p b")).to_have_text("居委会")
    expect(editor.locator("img, script, [style], [onclick]")).to_have_count(0)
    expect(editor).not_to_contain_text("pwned")
    page.wait_for_timeout(300)
    assert page.title() != "pwned"
    assert page.evaluate("window.__violations") == []
    assert violations.console == []
    shots("refused-save-editor")
