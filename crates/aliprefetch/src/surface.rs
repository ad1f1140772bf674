//! The classes and functions the Python and Node packages expose besides the operations (which
//! `ops::schema` declares), declared once: their members, arguments and types, and the language each
//! belongs to. `tests/surface_decl.rs` generates from it Node's `index.d.ts` and `index.mjs` and Python's
//! `_aliprefetch.pyi`, which `tsc` and `mypy.stubtest` then hold to the compiled bindings.
//!
//! Names are written once in snake_case (JavaScript's are their camelCase). A member that exists in one
//! language only (Python's context manager, Node's `Emulator.start`) says so; a language's protocol
//! methods, which have no counterpart in the other, are given as that language's text.

/// The type of an argument, a property or a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Text,
    Flag,
    Whole,
    /// A span of time: a duration with its unit (`"90s"`, `"1h"`) in every language; in Python also
    /// seconds (a number or a `timedelta`).
    Span,
    /// A point in time given: `Time` (a `datetime`/`Date` or the wire's text).
    TimeIn,
    /// A point in time returned: a `datetime` / a `Date`.
    TimeOut,
    /// No value (`None` / `void`).
    Nothing,
    /// A decoded JSON answer.
    Answer,
    /// Parameters by name.
    Params,
    /// A list of strings.
    Texts,
    /// One of the declared classes or records, by name.
    Class(&'static str),
    /// A list of them.
    Classes(&'static str),
    /// The class being declared.
    Itself,
    /// Where the languages have their own types for one thing.
    Each {
        python: &'static str,
        typescript: &'static str,
    },
}

/// How an argument is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passing {
    /// Positionally (in Python, by name too).
    Positional,
    /// By keyword in Python; in JavaScript, a key of the options object that follows the positional ones.
    Keyword,
    /// Python's `**name: Unpack[T]`; JavaScript's one object of type T.
    Spread,
}

/// One argument.
#[derive(Clone, Copy, Debug)]
pub struct Arg {
    pub name: &'static str,
    pub shape: Shape,
    pub passing: Passing,
    /// `None` when required; otherwise Python's default (`None` makes the type optional).
    pub default: Option<&'static str>,
}

/// A required positional argument.
pub const fn arg(name: &'static str, shape: Shape) -> Arg {
    Arg { name, shape, passing: Passing::Positional, default: None }
}

impl Arg {
    /// Passed by keyword (a key of JavaScript's options object).
    pub const fn keyword(self) -> Self {
        Arg { passing: Passing::Keyword, ..self }
    }
    /// Passed as Python's keyword arguments / JavaScript's one object.
    pub const fn spread(self) -> Self {
        Arg { passing: Passing::Spread, ..self }
    }
    /// Optional, with Python's default.
    pub const fn or(self, default: &'static str) -> Self {
        Arg { default: Some(default), ..self }
    }
}

/// Which languages have a member, a class or a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In {
    Both,
    Python,
    Node,
}

impl In {
    /// Whether a Python (`true`) or JavaScript (`false`) declaration includes it.
    pub fn includes(self, python: bool) -> bool {
        match self {
            In::Both => true,
            In::Python => python,
            In::Node => !python,
        }
    }
}

/// What kind of member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The constructor (Python's `__new__`).
    New,
    /// A read-only property.
    Get,
    Method,
    /// A static method (JavaScript's `static`, Python's `@staticmethod`).
    Static,
    /// A language's protocol method, as that language's declaration text (one line).
    Protocol(&'static str),
}

/// One member of a class, or a module-level function.
#[derive(Clone, Copy, Debug)]
pub struct Member {
    pub name: &'static str,
    pub doc: &'static str,
    pub kind: Kind,
    pub args: &'static [Arg],
    pub returns: Shape,
    /// Completes later: a Promise in JavaScript; in Python, an awaitable in the class's async twin.
    pub awaits: bool,
    pub lang: In,
}

/// A method.
pub const fn method(name: &'static str, args: &'static [Arg], returns: Shape) -> Member {
    Member { name, doc: "", kind: Kind::Method, args, returns, awaits: false, lang: In::Both }
}

/// A read-only property.
pub const fn get(name: &'static str, returns: Shape) -> Member {
    Member { kind: Kind::Get, ..method(name, &[], returns) }
}

/// The constructor.
pub const fn new(args: &'static [Arg]) -> Member {
    Member { kind: Kind::New, ..method("new", args, Shape::Itself) }
}

/// A protocol method of one language.
pub const fn protocol(lang: In, text: &'static str) -> Member {
    Member { kind: Kind::Protocol(text), lang, ..method("", &[], Shape::Nothing) }
}

impl Member {
    pub const fn doc(self, doc: &'static str) -> Self {
        Member { doc, ..self }
    }
    pub const fn awaits(self) -> Self {
        Member { awaits: true, ..self }
    }
    pub const fn only(self, lang: In) -> Self {
        Member { lang, ..self }
    }
    pub const fn fixed(self) -> Self {
        Member { kind: Kind::Static, ..self }
    }
}

/// A class.
#[derive(Clone, Copy, Debug)]
pub struct Class {
    pub name: &'static str,
    pub doc: &'static str,
    pub lang: In,
    /// Python's base classes (empty: none), and its type parameter when generic.
    pub python_bases: &'static str,
    /// The TypeScript interface the class also is (its methods declared elsewhere), or empty.
    pub typescript_also: &'static str,
    /// Python's async twin: its name and bases (its awaiting members return awaitables).
    pub python_async: Option<(&'static str, &'static str)>,
    /// Its members; without a constructor, JavaScript's is private (the package makes it).
    pub members: &'static [Member],
}

/// What every batch iterator has besides iterating: stopping it, and what it has in flight.
const STOP: Member = method("stop", &[], Shape::Nothing)
    .doc("Sends nothing more; the loop then yields what settles of the requests in flight.");
const UNSETTLED: Member = method("unsettled", &[], Shape::Texts)
    .doc("The URLs (or media ids) whose requests were sent and have not settled.");

/// The classes, in the order the declarations list them.
pub const CLASSES: &[Class] = &[
    Class {
        name: "Credentials",
        doc: "An access key, optionally with an STS token. Inspecting or serializing it never shows the secret or the token.",
        lang: In::Both,
        python_bases: "",
        typescript_also: "",
        python_async: None,
        members: &[
            new(&[
                arg("access_key_id", Shape::Text),
                arg("access_key_secret", Shape::Text),
                arg("security_token", Shape::Text).or("None"),
            ]),
            get("access_key_id", Shape::Text),
            get("has_security_token", Shape::Flag),
            protocol(
                In::Node,
                "toJSON(): { accessKeyId: string; accessKeySecret: '<redacted>'; securityToken: '<redacted>' | null };",
            ),
        ],
    },
    Class {
        name: "RetryConfig",
        doc: "A retry policy.",
        lang: In::Python,
        python_bases: "",
        typescript_also: "",
        python_async: None,
        members: &[
            new(&[arg("fields", Shape::Each { python: "RetryFields", typescript: "RetryOptions" }).spread()]),
            method("standard", &[], Shape::Class("RetryConfig")).fixed(),
            method("disabled", &[], Shape::Class("RetryConfig")).fixed(),
            get("max_attempts", Shape::Whole),
            get("base_delay", Shape::Each { python: "float", typescript: "number" }),
            get("max_delay", Shape::Each { python: "float", typescript: "number" }),
            get("max_elapsed", Shape::Each { python: "float", typescript: "number" }),
        ],
    },
    Class {
        name: "SignedRequest",
        doc: "A request signed for the wire; inspecting or serializing it hides the signature and the token.",
        lang: In::Both,
        python_bases: "",
        typescript_also: "",
        python_async: None,
        members: &[
            get("method", Shape::Each { python: "str", typescript: "'GET' | 'POST'" }),
            get("url", Shape::Text),
            get(
                "headers",
                Shape::Each {
                    python: "list[tuple[str, str]]",
                    typescript: "ReadonlyArray<readonly [string, string]>",
                },
            ),
            protocol(In::Node, "toJSON(): { method: string; url: string; headers: Array<[string, string]> };"),
        ],
    },
    Class {
        name: "BatchIterator",
        doc: "A running batch: its items as their requests settle.",
        lang: In::Python,
        python_bases: "Iterator[_Item], Generic[_Item]",
        typescript_also: "",
        python_async: None,
        members: &[
            protocol(In::Python, "def __iter__(self) -> Self: ..."),
            protocol(In::Python, "def __next__(self) -> _Item: ..."),
            STOP,
            UNSETTLED,
            get("duplicates_removed", Shape::Whole),
            get("requests", Shape::Whole),
        ],
    },
    Class {
        name: "AsyncBatchIterator",
        doc: "A running batch, for `async for`.",
        lang: In::Python,
        python_bases: "AsyncIterator[_Item], Generic[_Item]",
        typescript_also: "",
        python_async: None,
        members: &[
            protocol(In::Python, "def __aiter__(self) -> Self: ..."),
            protocol(In::Python, "def __anext__(self) -> Awaitable[_Item]: ..."),
            STOP,
            UNSETTLED,
            get("duplicates_removed", Shape::Whole),
            get("requests", Shape::Whole),
        ],
    },
    Class {
        name: "Client",
        doc: "The client. Calls are validated before anything is sent (refused with an `InvalidInputError` naming \
              the field), retried with backoff, paced under the documented quotas, and signed like the official SDKs.",
        lang: In::Both,
        python_bases: "_Operations",
        typescript_also: "Operations",
        python_async: Some(("AsyncClient", "_AsyncOperations")),
        members: &[
            new(&[arg("config", Shape::Each { python: "ClientConfig", typescript: "ClientOptions" }).spread().or("")]),
            get("region", Shape::Text),
            get("pacing_is_shared", Shape::Flag).doc(
                "Whether calls are paced through the shared Redis backend right now (false without one, and while \
                 Redis is away).",
            ),
            method(
                "call",
                &[
                    arg("action", Shape::Text),
                    arg("service", Shape::Class("Service")).keyword(),
                    arg("params", Shape::Params).keyword().or("None"),
                    arg("method", Shape::Each { python: "str", typescript: "'GET' | 'POST'" }).keyword().or("\"POST\""),
                ],
                Shape::Answer,
            )
            .doc("Any RPC action of either service, signed, paced and retried like the rest; the decoded answer.")
            .awaits(),
            method(
                "presign",
                &[arg("action", Shape::Each { python: "str", typescript: "Action" }), arg("params", Shape::Params)],
                Shape::Class("SignedRequest"),
            )
                .doc("Validates and signs one of the five operations as it would be sent, without sending it.")
                .awaits(),
        ],
    },
    Class {
        name: "Emulator",
        doc: "The local Live/VOD service, in-process.",
        lang: In::Both,
        python_bases: "",
        typescript_also: "",
        python_async: None,
        members: &[
            new(&[FIXTURES, SEED, NOW]).only(In::Python),
            method(
                "start",
                &[FIXTURES.keyword(), SEED, NOW],
                Shape::Itself,
            )
            .fixed()
            .awaits()
            .only(In::Node),
            get("endpoint", Shape::Text).doc("`http://127.0.0.1:PORT`."),
            get("credentials", Shape::Class("Credentials")).doc("The first account (by default `testid` / `testsecret`)."),
            method("advance", &[arg("by", Shape::Span)], Shape::Nothing)
                .doc("Moves the emulator's clock forward (task lifecycles, windows, timestamp checks)."),
            method("now", &[], Shape::TimeOut),
            method("tasks", &[], Shape::Classes("HeldPreloadTask"))
                .doc("Every prefetch task the emulator holds (what the service really holds, for tests)."),
            method("refresh_jobs", &[], Shape::Classes("HeldRefreshJob")),
            method("request_counts", &[], Shape::Classes("RequestCount"))
                .doc("Requests seen per action and outcome (`ok`, an error code, `reset`, `lost:…`)."),
            method(
                "set_faults",
                &[arg("faults", Shape::Each { python: "Mapping[str, Any]", typescript: "Record<string, unknown>" })],
                Shape::Nothing,
            )
            .doc(
                "Puts these faults in force while it runs, in the fixture format (`error_rate`, `errors`, `reset_rate`, \
                 `latency_ms`, `ambiguous_rate`, `ambiguous_delay_ms`; keys left out take their defaults).",
            ),
            method("reset", &[], Shape::Nothing)
                .doc("Forgets every task, job, RTC configuration, counted request and quota window."),
            method("stop", &[], Shape::Nothing).doc("Stops after the requests in flight.").awaits().only(In::Node),
            method("close", &[], Shape::Nothing).doc("Stops after the requests in flight.").only(In::Python),
            protocol(In::Python, "def __enter__(self) -> Self: ..."),
            protocol(
                In::Python,
                "def __exit__(\n    self,\n    exc_type: type[BaseException] | None = None,\n    \
                 exc: BaseException | None = None,\n    tb: TracebackType | None = None,\n) -> bool: ...",
            ),
        ],
    },
];

/// How an emulator starts: its fixtures (an object, JSON text or a path), the seed of its faults, its clock.
const FIXTURES: Arg = arg(
    "fixtures",
    Shape::Each { python: "Mapping[str, Any] | str | PathLike[str]", typescript: "Record<string, unknown> | string" },
)
.or("None");
const SEED: Arg = arg("seed", Shape::Whole).keyword().or("0");
const NOW: Arg = arg("now", Shape::TimeIn).keyword().or("None");

/// The module-level functions and values.
pub const FUNCTIONS: &[Member] = &[
    method("sign_v1", &[arg("input", Shape::Class("SignV1Input")).spread()], Shape::Class("SignedV1"))
        .doc("The pure V1 (HMAC-SHA1) signer."),
    method("sign_v3", &[arg("input", Shape::Class("SignV3Input")).spread()], Shape::Class("SignedV3"))
        .doc("The pure V3 (ACS3-HMAC-SHA256) signer."),
    method("run_cli", &[arg("args", Shape::Texts)], Shape::Whole).doc(
        "Runs the `aliprefetch` command with `args` (without the program name), as the console script does; returns \
         its exit code.",
    ),
    method("_tasks_in_flight", &[], Shape::Whole).only(In::Python),
    method(
        "set_logger",
        &[
            arg("logger", Shape::Each { python: "None", typescript: "Logger | null" }),
            arg("level", Shape::Each { python: "str", typescript: "LogLevel" }).keyword().or("'debug'"),
        ],
        Shape::Nothing,
    )
    .doc(
        "Sends the library's log lines (one per attempt, retries, pacing waits, credential fetches; the signed \
         request, redacted, at `trace`) to `logger` from `level` up: a function taking `{ level, name, message }`, or \
         an object with `debug`/`info`/`warn`/`error` methods (`console`, pino, winston). `null` stops them. \
         `DEBUG=aliprefetch` (or `aliprefetch:trace`) does this for stderr when the package loads.",
    )
    .only(In::Node),
];
