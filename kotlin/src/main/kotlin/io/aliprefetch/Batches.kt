// Hand-written additions to the generated bindings: batches as Kotlin Flows. Packaged with the generated
// sources in the io.aliprefetch:aliprefetch jar (kotlin/pom.xml).
package io.aliprefetch

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The items of a preload batch as their requests settle. Cancelling the collecting coroutine keeps every
 * item already emitted; when the flow ends early (cancelled, or a `take(n)`) the batch sends nothing more.
 */
fun PreloadBatch.asFlow(): Flow<PreloadItem> = flow {
    try {
        while (true) {
            val items = next() ?: break
            for (item in items) emit(item)
        }
    } finally {
        stop()
    }
}

/** The items of a media batch as their requests settle; see [PreloadBatch.asFlow]. */
fun MediaBatch.asFlow(): Flow<MediaItem> = flow {
    try {
        while (true) {
            val items = next() ?: break
            for (item in items) emit(item)
        }
    } finally {
        stop()
    }
}
