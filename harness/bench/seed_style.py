#!/usr/bin/env python3
"""The seed-style baseline of the end-to-end bench (issue 16): the original system's generator, written for the
bench's generated site in its style (../shared/reference/ORIGINAL-SYSTEM.md): Python, requests + BeautifulSoup,
sequential. For each channel it reads the listing page, fetches every listed article it has no page for yet,
cleans the article's body with bs4 (scripts, iframes, ads, share bars and related blocks removed, image sizes
dropped, <a> renamed to <ok>, h2 demoted to h4), writes pages/<channel>/<id>.md and appends <id>,<title> to
indexes/<channel>.csv; then the index pages (30 titles a page, newest first, the newest copied to README.md) and
one `git add` + `git commit` of everything.

  python3 seed_style.py ORIGIN OUT_DIR CHANNEL...

Prints `written N failed M` on stdout. Debian's python3-bs4 and python3-requests; lxml when installed (bs4
picks it by default), else Python's own html.parser; SEED_PARSER names one.
"""
import os
import subprocess
import sys
import time

import requests
from bs4 import BeautifulSoup

try:
    import lxml  # noqa: F401

    PARSER = "lxml"
except ImportError:
    PARSER = "html.parser"
# SEED_PARSER=html.parser times the pure-Python parser even where lxml is installed.
PARSER = os.environ.get("SEED_PARSER") or PARSER

NAV = "#### [首页](../../README.md) &nbsp;|&nbsp; [禁闻](../../indexes/{channel}.md)"
PAGE_SIZE = 30
REMOVE = ["script", "style", "iframe", "noscript", ".ad", ".share-bar", ".inline-related", ".related"]


def clean_article(html, url):
    soup = BeautifulSoup(html, PARSER)
    title = soup.select_one("h1.headline").get_text(strip=True)
    body = soup.select_one("div#article-body")
    # One try for all cleanup, as the original: a missing element skips the rest.
    try:
        for selector in REMOVE:
            for element in body.select(selector):
                element.decompose()
        for image in body.find_all("img"):
            for attribute in ("width", "height"):
                if attribute in image.attrs:
                    del image[attribute]
        for anchor in body.find_all("a"):
            anchor.name = "ok"
        for heading in body.find_all("h2"):
            heading.name = "h4"
    except Exception:
        pass
    lead = body.find("img")
    return title, body.prettify(), lead["src"] if lead else None


def page_markdown(channel, article_id, title, body, lead, url):
    parts = ["### " + title, "", "---", "", NAV.format(channel=channel), "", ""]
    if lead:
        parts.append('<div><img alt="%s" src="%s"/></div><hr/>' % (title, lead))
    parts.append(body)
    parts.append('<img src="http://counter.example.org/pages/%s/%s.md" width="0" height="0"/>' % (channel, article_id))
    parts.append("")
    parts.append("原文链接（需翻墙）：" + url)
    return "\n".join(parts) + "\n"


def write_indexes(out_dir, channel, stamp):
    with open(os.path.join(out_dir, "indexes", channel + ".csv"), encoding="utf-8") as csv:
        rows = [line.rstrip("\n").split(",", 1) for line in csv if line.strip()]
    rows.reverse()  # newest first
    pages = [rows[i : i + PAGE_SIZE] for i in range(0, len(rows), PAGE_SIZE)] or [[]]
    for number, page in enumerate(pages):
        lines = ["### " + channel, ""]
        for article_id, title in page:
            lines.append("#### [%s](../pages/%s/%s.md?%s)" % (title, channel, article_id, stamp))
        footer = " ".join("[%d](%s_%d.md?%s)" % (n + 1, channel, n, stamp) for n in range(len(pages)))
        lines += ["", footer, ""]
        name = channel + ".md" if number == 0 else "%s_%d.md" % (channel, number)
        with open(os.path.join(out_dir, "indexes", name), "w", encoding="utf-8") as index:
            index.write("\n".join(lines))


def main():
    origin, out_dir, channels = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(os.path.join(out_dir, "indexes"), exist_ok=True)
    subprocess.run(["git", "init", "-q", out_dir], check=True)
    written = failed = 0
    stamp = time.strftime("%m%d%H%M")
    for channel in channels:
        listing = BeautifulSoup(requests.get("%s/news/%s.html" % (origin, channel)).content, PARSER)
        links = [anchor["href"] for anchor in listing.select("ul.post-list div.title a")]
        os.makedirs(os.path.join(out_dir, "pages", channel), exist_ok=True)
        csv_path = os.path.join(out_dir, "indexes", channel + ".csv")
        for href in reversed(links):  # oldest first, as the original
            url = href if href.startswith("http") else origin + href
            article_id = url.rsplit("/", 1)[-1].split(".")[0]
            path = os.path.join(out_dir, "pages", channel, article_id + ".md")
            if os.path.exists(path):
                continue
            try:
                response = requests.get(url)
                response.raise_for_status()
                title, body, lead = clean_article(response.content, url)
                with open(path, "w", encoding="utf-8") as page:
                    page.write(page_markdown(channel, article_id, title, body, lead, url))
                with open(csv_path, "a", encoding="utf-8") as csv:
                    csv.write("%s,%s\n" % (article_id, title))
                written += 1
            except Exception as error:
                sys.stderr.write("failed %s: %s\n" % (url, error))
                failed += 1
        write_indexes(out_dir, channel, stamp)
    readme = os.path.join(out_dir, "README.md")
    with open(os.path.join(out_dir, "indexes", channels[0] + ".md"), encoding="utf-8") as newest:
        with open(readme, "w", encoding="utf-8") as home:
            home.write(newest.read())
    git = ["git", "-C", out_dir, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "同步于: " + time.strftime("%Y-%m-%d %H:%M")], check=True)
    print("written %d failed %d parser %s" % (written, failed, PARSER))


if __name__ == "__main__":
    main()
