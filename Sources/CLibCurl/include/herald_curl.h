// HTTP requests for `herald check --online`, through libcurl loaded when the first request is
// made. Herald does not link libcurl: it starts without loading it (and the libraries it needs),
// and everything but the online check works where it is not installed.

#ifndef HERALD_CURL_H
#define HERALD_CURL_H

#include <stddef.h>

/// How a request ended.
typedef enum {
    /// An answer came: its status is in `status`.
    HERALD_HTTP_ANSWERED = 0,
    /// No answer (refused, timed out, TLS failed…): why is in `message`.
    HERALD_HTTP_FAILED = 1,
    /// The host's name does not resolve.
    HERALD_HTTP_UNKNOWN_HOST = 2,
    /// libcurl cannot be loaded: why is in `message`.
    HERALD_HTTP_UNAVAILABLE = 3,
} herald_http_outcome;

/// Loads libcurl if it is not loaded yet. Returns 1 when it can be used; else 0, with why in
/// `message` (at most `message_size` bytes, NUL-terminated).
int herald_http_available(char *message, size_t message_size);

/// Sends one request (`HEAD` when `head` is non-zero, else `GET`) to `url`, following
/// redirects over HTTP and HTTPS, and waits for its answer for at most `timeout_ms`. A `GET`
/// stops at the first bytes of the body: only the status is wanted. The answer's status goes
/// to `status` and its `Retry-After` header (empty when it has none) to `retry_after`. Safe to
/// call from several threads at once.
herald_http_outcome herald_http_request(
    const char *url, int head, long timeout_ms, const char *user_agent,
    long *status, char *retry_after, size_t retry_after_size, char *message, size_t message_size);

#endif
