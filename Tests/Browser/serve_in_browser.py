"""`herald serve` in a real browser (headless Chromium, driven by Playwright).

Run by ServeBrowserTests with: SITE_URL POST_FILE NEW_POST_COMMAND...
  SITE_URL          the served site, e.g. http://127.0.0.1:41234/
  POST_FILE         the English post served at SITE_URL + "hello/"
  NEW_POST_COMMAND  the `herald new` command line that adds a post to the served project

Checks, without ever reloading a page by hand:
  1. the open page shows an edit of its post once the file is saved;
  2. the language switch leads to the Chinese translation, and back;
  3. a post started with `herald new` appears on the open index page.
Exits 0 when all hold; otherwise prints what did not and exits 1.
"""

import subprocess
import sys

from playwright.sync_api import sync_playwright, expect

site, post_file, new_command = sys.argv[1], sys.argv[2], sys.argv[3:]
TIMEOUT = 20_000


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(site + "hello/")
        expect(page.locator("article h1")).to_have_text("Hello")
        expect(page.locator("html")).to_have_attribute("lang", "en")

        # 1. Save an edit; the page reloads by itself.
        with open(post_file, encoding="utf-8") as source:
            text = source.read()
        with open(post_file, "w", encoding="utf-8") as source:
            source.write(text.replace("The first words of the newsletter.", "Edited while the page was open."))
        expect(page.locator("article")).to_contain_text("Edited while the page was open.", timeout=TIMEOUT)

        # 2. The language switch: to the translation, and back.
        page.locator('nav.languages a[hreflang="zh"]').click()
        page.wait_for_url(site + "zh/hello/")
        expect(page.locator("html")).to_have_attribute("lang", "zh")
        expect(page.locator("article h1")).to_have_text("你好")
        alternate = page.locator('head link[rel="alternate"][hreflang="en"]')
        expect(alternate).to_have_attribute("href", site + "hello/")
        page.locator('nav.languages a[hreflang="en"]').click()
        page.wait_for_url(site + "hello/")
        expect(page.locator("article")).to_contain_text("Edited while the page was open.")

        # 3. `herald new` while the index is open: the new post is listed without a reload by hand.
        page.goto(site)
        expect(page.locator("main")).not_to_contain_text("Notes From The Browser")
        created = subprocess.run(new_command, capture_output=True, text=True)
        if created.returncode != 0:
            raise AssertionError("herald new failed: " + created.stdout + created.stderr)
        expect(page.locator("main")).to_contain_text("Notes From The Browser", timeout=TIMEOUT)
        page.get_by_role("link", name="Notes From The Browser").click()
        expect(page.locator("article h1")).to_have_text("Notes From The Browser")
        browser.close()


try:
    main()
except Exception as error:  # noqa: BLE001 - every failure is reported the same way
    print(f"browser check failed: {error}")
    sys.exit(1)
print("browser check passed")
