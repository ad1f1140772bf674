// Hand-written: what the Java forms of the suspend functions run (kotlin/java_forms.py adds a `…Blocking` and a
// `…Async` form beside every generated `suspend fun`, since Java cannot call a suspend function).
package io.aliprefetch

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.future.future
import kotlinx.coroutines.runBlocking

/** The scope of the futures: one failing call never cancels another. */
private val javaScope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

/** Runs a suspend call on the calling thread until it settles; its exception is thrown as it is. */
internal fun <T> javaBlocking(call: suspend () -> T): T = runBlocking { call() }

/** Runs a suspend call as a `CompletableFuture`; cancelling the future cancels the call. */
internal fun <T> javaFuture(call: suspend () -> T): CompletableFuture<T> = javaScope.future { call() }
