// The README's Kotlin and Java examples are Readme.kt and ReadmeJava.java (after their package lines), and they print
// what the README shows.
package readme

import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class ReadmeTest {
    private val section: String = File("../README.md").readText().let { it.substring(it.indexOf("## Kotlin and Swift")) }
    private val blocks = Regex("```kotlin\\n(.*?)```\\s*```text\\n(.*?)```", RegexOption.DOT_MATCHES_ALL).find(section)!!.groupValues
    private val javaBlocks = Regex("```java\\n(.*?)```\\s*```text\\n(.*?)```", RegexOption.DOT_MATCHES_ALL).find(section)!!.groupValues

    private fun printed(run: () -> Unit): String {
        val captured = ByteArrayOutputStream()
        val original = System.out
        System.setOut(PrintStream(captured, true, "UTF-8"))
        try {
            run()
        } finally {
            System.setOut(original)
        }
        return captured.toString("UTF-8")
    }

    @Test
    fun `the README's Kotlin block is Readme kt`() {
        val example = File("src/test/kotlin/readme/Readme.kt").readText()
        assertEquals(example.split("\n", limit = 3)[2], blocks[1])
    }

    @Test
    fun `the example prints what the README shows`() {
        assertEquals(blocks[2], printed { main() })
    }

    @Test
    fun `the README's Java block is ReadmeJava java`() {
        val example = File("src/test/java/readme/ReadmeJava.java").readText()
        assertEquals(example.split("\n", limit = 3)[2], javaBlocks[1])
    }

    @Test
    fun `the Java example prints what the README shows`() {
        assertEquals(javaBlocks[2], printed { ReadmeJava.main(arrayOf()) })
    }
}
