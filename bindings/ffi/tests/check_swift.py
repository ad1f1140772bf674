#!/usr/bin/env python3
"""The generated Swift package declares the public API: the client and its async methods, the one error class
with its kind and every accessor, the error kinds, the emulator, the progress protocol; and the package has its
manifest, module map and header.
(No Swift compiler exists on these machines; this checks what was generated.)

    check_swift.py PACKAGE_DIR
"""

import pathlib
import re
import sys

METHODS = [
    "setLiveStreamPreloadTasks(request: SetLiveStreamPreloadTasksRequest)",
    "describeLiveStreamPreloadTasks(request: DescribeLiveStreamPreloadTasksRequest)",
    "hotLiveRtcStream(request: HotLiveRtcStreamRequest)",
    "updateLivePullToPush(request: UpdateLivePullToPushRequest)",
    "refreshMediaPlayUrls(request: RefreshMediaPlayUrlsRequest)",
    "preloadLiveStreams(domain: String, urls: [String], options: PreloadOptions, listener: ProgressListener?)",
    "refreshMedia(mediaIds: [String], options: MediaOptions, listener: ProgressListener?)",
    "preloadMedia(mediaIds: [String], options: MediaOptions, listener: ProgressListener?)",
    "allPreloadTasks(query: DescribeLiveStreamPreloadTasksRequest)",
    "waitForPreload(domain: String, taskIds: [String], options: WaitOptions, listener: ProgressListener?)",
    "call(service: Service, action: String, method: HttpMethod, params: [String: String])",
]
KINDS = [
    "invalidInput",
    "credentials",
    "auth",
    "throttled",
    "api",
    "server",
    "transport",
    "timeout",
    "decode",
    "`internal`",
]
ACCESSORS = ["kind() -> ErrorKind", "code() -> String?", "errorMessage() -> String", "requestId() -> String?",
             "httpStatus() -> Int32?", "retryable() -> Bool", "attempts() -> Int64", "field() -> String?",
             "rule() -> String?", "hostId() -> String?", "recommend() -> String?",
             "retryAfter() -> TimeInterval?"]  # fmt: skip


def main() -> None:
    package = pathlib.Path(sys.argv[1])
    for required in ["Package.swift", "Sources/AliPrefetch/AliPrefetch.swift",
                     "Sources/AliPrefetchFFI/include/AliPrefetchFFI.h",
                     "Sources/AliPrefetchFFI/include/module.modulemap"]:  # fmt: skip
        assert (package / required).is_file(), f"missing {required}"
    text = re.sub(r"/\*.*?\*/", "", (package / "Sources/AliPrefetch/AliPrefetch.swift").read_text(), flags=re.S)
    source = re.sub(r"\s+", " ", text)
    compact = re.sub(r"\s+", "", text)
    problems = []
    if "open class Client: ClientProtocol" not in source:
        problems.append("the Client class")
    for method in METHODS:
        if not re.search(re.escape(f"open func {method}") + r" ?async throws", source):
            problems.append(f"async method {method}")
    if not re.search(r"open class AliPrefetchError: [^{]*\bSwift\.Error\b", source):
        problems.append("the public error class")
    for accessor in ACCESSORS:
        if f"openfunc{accessor.replace(' ', '')}{{" not in compact:
            problems.append(f"error accessor {accessor}")
    kinds = re.search(r"public enum ErrorKind: [^{]*\{(.*?)\}", source)
    if not kinds or re.findall(r"case (\S+)", kinds.group(1)) != KINDS:
        problems.append(f"the error kinds {KINDS}")
    for declaration in ["open class Emulator", "public protocol ProgressListener", "open class Credentials",
                        "public struct ClientConfig", "public enum Area", "public protocol LogListener",
                        "public func setLogListener(listener: LogListener?) -> Bool"]:  # fmt: skip
        if declaration not in source:
            problems.append(declaration)
    manifest = (package / "Package.swift").read_text()
    if 'name: "AliPrefetch"' not in manifest:
        problems.append("Package.swift names the library")
    if problems:
        sys.exit("generated Swift lacks: " + "; ".join(problems))
    print(f"Swift package at {package}: Client, {len(METHODS)} async methods, one error class, {len(KINDS)} kinds")


if __name__ == "__main__":
    main()
