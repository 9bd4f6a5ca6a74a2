// The HTML `herald serve` adds to the site: the script that reloads a page after a rebuild, a
// panel with the build's errors, links to the post's email and findings, and the list of posts.

import HeraldCore

enum PreviewPages {
    /// Added before a served page's `</body>`: never written into the built files.
    static func overlay(snapshot: PreviewSnapshot, post: PreviewPost?) -> String {
        var html = "\n<!-- added by herald serve -->\n"
        if !snapshot.errors.isEmpty {
            html += """
                <div id="herald-errors" role="alert" style="position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;z-index:2147483647;\
                margin:0;padding:1em 1.5em;background:#2b0b0b;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;\
                box-shadow:0 2px 12px rgba(0,0,0,.5)"><strong>herald: the last build has errors</strong>
                \(snapshot.errors.map(Escape.html).joined(separator: "\n"))</div>

                """
        }
        if let post {
            let key = Escape.html(post.key)
            var links = ["<a href=\"/__herald/check/\(key)\">check</a> (\(post.findings.count))"]
            if post.email != nil { links.insert("<a href=\"/__herald/email/\(key)\">email</a>", at: 0) }
            links.append("<a href=\"/__herald/\">all posts</a>")
            html += """
                <div id="herald-preview" style="position:fixed;right:.5em;bottom:.5em;z-index:2147483646;padding:.3em .7em;\
                background:#fffbe6;color:#333;border:1px solid #d9c36a;border-radius:4px;font:13px/1.4 system-ui,sans-serif">\
                preview: \(links.joined(separator: " · "))</div>

                """
        }
        // Asks the server to answer when the next build is done, then reloads; retries while the
        // server is away (restarting).
        html += """
            <script id="herald-reload">
            (function () {
              var generation = \(snapshot.generation);
              function wait() {
                fetch("/__herald/wait?generation=" + generation, { cache: "no-store" })
                  .then(function (response) { return response.json(); })
                  .then(function (status) {
                    if (status.generation !== generation) { location.reload(); } else { wait(); }
                  })
                  .catch(function () { setTimeout(wait, 1000); });
              }
              wait();
            })();
            </script>

            """
        return html
    }

    /// `/__herald/`: every post of the site, with its page, email and findings.
    static func index(_ snapshot: PreviewSnapshot) -> String {
        var rows = ""
        for post in snapshot.posts.sorted(by: { $0.key < $1.key }) {
            let key = Escape.html(post.key)
            let page = post.page.map { "<a href=\"/\(Escape.html(String($0.dropLast("index.html".count))))\">/\(key)/</a>" } ?? "/\(key)/"
            let email = post.email == nil ? "" : "<a href=\"/__herald/email/\(key)\">email</a>"
            let findings = post.findings.count
            rows += """
                <tr><td>\(page)</td><td>\(Escape.html(post.lang ?? ""))</td><td><code>\(Escape.html(post.source))</code></td>\
                <td>\(email)</td><td><a href="/__herald/check/\(key)">\(findings == 0 ? "no findings" : "\(findings) finding\(findings == 1 ? "" : "s")")</a></td></tr>

                """
        }
        return page(title: "herald serve", body: """
            <h1>herald serve</h1>
            <p>Build \(snapshot.generation): \(snapshot.posts.count) posts, \(snapshot.errors.count) errors. <a href="/">The site</a></p>
            <table><thead><tr><th>Page</th><th>Language</th><th>Source</th><th>Email</th><th>Checks</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            """)
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Escape.html(title))</title>
        <style>body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em}td,th{padding:.2em .6em;text-align:left}</style>
        </head><body>
        \(body)
        </body></html>

        """
    }
}
