/** The CLI's help: every option, and every exit status. */
export const USAGE = `Usage: fetchkind [options] <url>   (no scheme: http://; :port/path: localhost)

Sends one request and reports what happened: the body on stdout, byte for byte, a summary on
stderr, and an exit status by kind of result.

Request:
  -X, --method <method>         HTTP method (default GET, or POST with a body; HEAD with -I)
  -H, --header <name: value>    add a request header (repeatable); -H 'Host: name' sends the
                                request to that virtual host at the URL's address
  -d, --data <text|@file|@->    send a form body: text, a file (CR and LF dropped, as curl does),
                                or stdin; repeated, the parts are joined with &; content-type
                                application/x-www-form-urlencoded unless -H names one
      --data-binary <text|@file|@->  the same, the bytes as they are
      --json <json|@file|@->    send JSON as it is written (checked to be JSON), with
                                content-type and accept application/json
  -F, --form <name=value|name=@file>  send multipart/form-data: a field, or a file (repeatable)
  -u, --user <user:password>    basic authentication
  -A, --user-agent <text>       the user-agent header

Redirects, deadlines, retries:
  -L, --location                follow redirects to any origin (the same as --follow always)
      --follow <policy>         same-origin | always | never (default same-origin: a redirect to
                                another origin, a login page say, is reported, not followed)
      --max-redirs <n>, --max-redirects <n>  most redirects to follow (default 10)
Every duration is in seconds, as curl's, fractions allowed (0.5):
      --connect-timeout <s>     longest a connection may take to open
      --attempt-timeout <s>     longest one attempt may take (default 10)
  -m, --max-time <s>            longest the whole call may take (default 30)
      --retry <n>, --retries <n>  retries of 429, 502, 503, 504 and network failures (default 2)
      --no-retry                never retry
      --retry-status <list>     the statuses to retry, such as 429,503
      --retry-delay <s>         a fixed wait between retries, instead of the backoff
      --retry-after-max <s>     the longest Retry-After to wait for (default 60)

Network:
      --transport <kind>        undici | fetch (default undici on Node)
      --proxy <url>             send through an HTTP proxy (undici)
  -k, --insecure                accept a certificate nobody vouches for (undici)
      --resolve <host:port:addr>  connect to addr for host, as curl (undici; repeatable)
      --connect-to <host:port:host2:port>  connect to host2 for host, on the URL's port (undici)
      --cacert <file>           trust this CA certificate (PEM) as well (undici)
      --cert <file>, --key <file>  present a client certificate and its key (PEM) (undici)
      --http2, --http1.1        offer HTTP/2 over TLS (the default), or keep to HTTP/1.1 (undici)
      --unix-socket <path>      connect to a unix socket instead of the host (undici)

Output:
  -o, --output <file>           write the body to <file> instead of stdout (-o -: to stdout,
                                a binary body to a terminal too)
  -i, --include                 print the status line and the response headers before the body
  -I, --head                    send HEAD and print the status line and the response headers
  -s, --silent                  print no summary
  -S, --show-error              with -s, print the summary when the call failed
  -v, --verbose                 print each attempt, its wait and why, each hop, the cache status
      --pretty, --no-pretty     re-indent a JSON body, every number and string as it came
                                (default: on a terminal only)
      --json-output             print the whole result, meta included, as JSON on stdout
  -h, --help                    print this help
      --version                 print the version

Assertions (each may repeat; given, they decide the exit status: 0 when all are met, a 404
expected included; else 10, saying what it saw):
      --expect-status <list>    the status is one of these, such as 200,204 or 2xx
      --expect-header <name[:value]>  the response has this header (with this value)
      --expect-json <pointer=value>   the JSON body has this value at this JSON Pointer, such as
                                /status=ok or /items/0/id=42

Exit status:
      --exit-codes <mode>       full (the table below, default) or simple: 0 or 1 only, as
                                Docker's HEALTHCHECK wants
  0 success (or 304, 1xx); with assertions, every one met
  1 invalid response or hook error
  2 usage error
  3 redirect not followed
  4 client error (4xx)
  5 server error (5xx)
  6 network error
  7 timeout
  10 an assertion unmet, whatever the result
  130 interrupted (Ctrl-C); 143 terminated (SIGTERM)`
