// The README's Kotlin example is Readme.kt (after its package line), and it prints what the README shows.
package readme

import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class ReadmeTest {
    private val section: String = File("../README.md").readText().let { it.substring(it.indexOf("## Kotlin and Swift")) }
    private val blocks = Regex("```kotlin\\n(.*?)```\\s*```text\\n(.*?)```", RegexOption.DOT_MATCHES_ALL).find(section)!!.groupValues

    @Test
    fun `the README's Kotlin block is Readme kt`() {
        val example = File("src/test/kotlin/readme/Readme.kt").readText()
        assertEquals(example.split("\n", limit = 3)[2], blocks[1])
    }

    @Test
    fun `the example prints what the README shows`() {
        val captured = ByteArrayOutputStream()
        val original = System.out
        System.setOut(PrintStream(captured, true, "UTF-8"))
        try {
            main()
        } finally {
            System.setOut(original)
        }
        assertEquals(blocks[2], captured.toString("UTF-8"))
    }
}
