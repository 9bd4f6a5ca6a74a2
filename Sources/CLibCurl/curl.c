// The one file that calls libcurl (see include/herald_curl.h). libcurl is opened with dlopen on
// first use and its functions are looked up by name; the header gives their types and constants.

#include "herald_curl.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *handle);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;
static char load_error[512];

static void load(void) {
    // The soname of the OpenSSL build, then the GnuTLS one Debian also packages.
    static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && library == NULL; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "libcurl cannot be loaded (%s); install it (Debian: libcurl4)",
                 why ? why : "libcurl.so.4 not found");
        return;
    }
#define FIND(field, symbol)                                                                       \
    do {                                                                                          \
        *(void **)&curl.field = dlsym(library, symbol);                                           \
        if (curl.field == NULL) {                                                                 \
            snprintf(load_error, sizeof load_error, "libcurl has no %s: it is too old", symbol); \
            return;                                                                               \
        }                                                                                         \
    } while (0)
    FIND(global_init, "curl_global_init");
    FIND(easy_init, "curl_easy_init");
    FIND(easy_setopt, "curl_easy_setopt");
    FIND(easy_perform, "curl_easy_perform");
    FIND(easy_getinfo, "curl_easy_getinfo");
    FIND(easy_cleanup, "curl_easy_cleanup");
    FIND(easy_strerror, "curl_easy_strerror");
#undef FIND
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl cannot start: %s", curl.easy_strerror(code));
        return;
    }
    loaded = 1;
}

int herald_http_available(char *message, size_t message_size) {
    pthread_once(&load_once, load);
    if (!loaded && message_size > 0) snprintf(message, message_size, "%s", load_error);
    return loaded;
}

/// What a request's callbacks see.
struct exchange {
    char *retry_after;
    size_t retry_after_size;
    /// Set when the body began and the transfer was stopped on purpose.
    int stopped;
};

static size_t on_header(char *line, size_t size, size_t count, void *context) {
    struct exchange *exchange = context;
    size_t length = size * count;
    // A new answer (after a redirect, or a 100 Continue) starts with its status line.
    if (length >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        if (exchange->retry_after_size > 0) exchange->retry_after[0] = '\0';
        return length;
    }
    static const char name[] = "retry-after:";
    size_t name_length = sizeof name - 1;
    if (length > name_length && strncasecmp(line, name, name_length) == 0 && exchange->retry_after_size > 0) {
        const char *value = line + name_length;
        size_t value_length = length - name_length;
        while (value_length > 0 && (*value == ' ' || *value == '\t')) value++, value_length--;
        while (value_length > 0 && (value[value_length - 1] == '\r' || value[value_length - 1] == '\n' ||
                                    value[value_length - 1] == ' ' || value[value_length - 1] == '\t')) {
            value_length--;
        }
        if (value_length >= exchange->retry_after_size) value_length = exchange->retry_after_size - 1;
        memcpy(exchange->retry_after, value, value_length);
        exchange->retry_after[value_length] = '\0';
    }
    return length;
}

static size_t on_body(char *data, size_t size, size_t count, void *context) {
    (void)data;
    struct exchange *exchange = context;
    if (size * count == 0) return 0;
    // The status is known: stop here rather than download the page.
    exchange->stopped = 1;
    return 0;
}

herald_http_outcome herald_http_request(
    const char *url, int head, long timeout_ms, const char *user_agent,
    long *status, char *retry_after, size_t retry_after_size, char *message, size_t message_size) {
    *status = 0;
    if (retry_after_size > 0) retry_after[0] = '\0';
    if (message_size > 0) message[0] = '\0';
    if (!herald_http_available(message, message_size)) return HERALD_HTTP_UNAVAILABLE;
    CURL *handle = curl.easy_init();
    if (handle == NULL) {
        snprintf(message, message_size, "libcurl could not make a request");
        return HERALD_HTTP_FAILED;
    }
    char error[CURL_ERROR_SIZE] = "";
    struct exchange exchange = {retry_after, retry_after_size, 0};
    curl.easy_setopt(handle, CURLOPT_URL, url);
    curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(handle, CURLOPT_MAXREDIRS, 10L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    curl.easy_setopt(handle, CURLOPT_USERAGENT, user_agent);
    curl.easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
    curl.easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);
    curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);
    if (head) {
        curl.easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else {
        curl.easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    }
    CURLcode code = curl.easy_perform(handle);
    curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, status);
    curl.easy_cleanup(handle);
    if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && exchange.stopped && *status > 0)) return HERALD_HTTP_ANSWERED;
    snprintf(message, message_size, "%s", error[0] ? error : curl.easy_strerror(code));
    return code == CURLE_COULDNT_RESOLVE_HOST ? HERALD_HTTP_UNKNOWN_HOST : HERALD_HTTP_FAILED;
}
