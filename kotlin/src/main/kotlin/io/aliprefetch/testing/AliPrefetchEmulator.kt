// Hand-written: a JUnit 5 extension that gives each test an emulator of its own, for Kotlin and Java suites.
// JUnit is an optional dependency of the jar: this class is only loaded by a suite that uses it.
package io.aliprefetch.testing

import io.aliprefetch.Client
import io.aliprefetch.ClientConfig
import io.aliprefetch.Emulator
import org.junit.jupiter.api.extension.AfterEachCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.ParameterContext
import org.junit.jupiter.api.extension.ParameterResolver

/**
 * The emulator's fixtures for a test (on the method) or for every test of a class: the fixture format's JSON
 * (docs/fixtures.md).
 */
@Target(AnnotationTarget.FUNCTION, AnnotationTarget.CLASS)
@Retention(AnnotationRetention.RUNTIME)
annotation class EmulatorFixtures(val value: String)

/** How the official Java SDKs reach the emulator: its `host:port` (over HTTP) and the fixtures' first account. */
data class OfficialSdkSettings(val host: String, val accessKeyId: String, val accessKeySecret: String)

/**
 * `@ExtendWith(AliPrefetchEmulator.class)`: each test gets an emulator of its own on a free loopback port, stopped
 * after it, and may take as parameters the [Emulator], a [Client] on it, and the [OfficialSdkSettings] for an
 * official SDK. [EmulatorFixtures] on the method or the class gives it fixtures.
 */
class AliPrefetchEmulator : BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private fun store(context: ExtensionContext) =
        context.getStore(ExtensionContext.Namespace.create(AliPrefetchEmulator::class.java, context.uniqueId))

    private fun fixtures(context: ExtensionContext): String? =
        context.testMethod.orElse(null)?.getAnnotation(EmulatorFixtures::class.java)?.value
            ?: context.testClass.orElse(null)?.getAnnotation(EmulatorFixtures::class.java)?.value

    override fun beforeEach(context: ExtensionContext) {
        store(context).put("emulator", Emulator.start(fixtures(context)))
    }

    override fun afterEach(context: ExtensionContext) {
        store(context).remove("emulator", Emulator::class.java)?.stop()
    }

    override fun supportsParameter(parameter: ParameterContext, extension: ExtensionContext): Boolean =
        parameter.parameter.type in listOf(Emulator::class.java, Client::class.java, OfficialSdkSettings::class.java)

    override fun resolveParameter(parameter: ParameterContext, extension: ExtensionContext): Any {
        val emulator = store(extension).get("emulator", Emulator::class.java)
            ?: throw IllegalStateException("the emulator runs for a test method (beforeEach to afterEach)")
        return when (parameter.parameter.type) {
            Emulator::class.java -> emulator
            Client::class.java -> Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials()))
            else -> {
                val account = firstAccount(fixtures(extension))
                OfficialSdkSettings(emulator.endpoint().removePrefix("http://"), account.first, account.second)
            }
        }
    }

    /** The first account's key id and secret in the fixtures' JSON, or the default `testid` / `testsecret`. */
    private fun firstAccount(json: String?): Pair<String, String> {
        val accounts = json?.substringAfter("\"accounts\"", "")?.substringAfter("[", "") ?: ""
        val id = Regex("\"access_key_id\"\\s*:\\s*\"([^\"]*)\"").find(accounts)?.groupValues?.get(1)
        val secret = Regex("\"access_key_secret\"\\s*:\\s*\"([^\"]*)\"").find(accounts)?.groupValues?.get(1)
        return if (id != null && secret != null) id to secret else "testid" to "testsecret"
    }
}
