// Hand-written: the core's log lines into java.util.logging (and from there into SLF4J/Logback/Log4j through
// their JUL bridges), under the loggers `aliprefetch.client.send`, `aliprefetch.credentials.cache`, ….
package io.aliprefetch

import java.util.logging.Level
import java.util.logging.Logger

/** The library's logging on the JVM. */
object AliPrefetchLogging {
    private fun julLevel(level: String): Level = when (level) {
        "error" -> Level.SEVERE
        "warn" -> Level.WARNING
        "info" -> Level.INFO
        "debug" -> Level.FINE
        else -> Level.FINEST
    }

    private object ToJul : LogListener {
        override fun isEnabled(level: String, name: String): Boolean = Logger.getLogger(name).isLoggable(julLevel(level))

        override fun log(level: String, name: String, message: String) {
            Logger.getLogger(name).logp(julLevel(level), name, null, message)
        }
    }

    /**
     * Sends the library's log lines to `java.util.logging`: a line per attempt at FINE (action, status, error code,
     * request id, time), retries at INFO, the signed request (redacted) at FINEST. Their level is each logger's, as
     * JUL (or SLF4J's bridge) sets it. Returns false if another logger of the process already had them.
     */
    @JvmStatic
    fun install(): Boolean = setLogListener(ToJul)

    /** Sends the library's log lines to `listener` instead (`null` stops them). */
    @JvmStatic
    fun install(listener: LogListener?): Boolean = setLogListener(listener)
}
