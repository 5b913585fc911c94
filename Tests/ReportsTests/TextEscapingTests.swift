@testable import Reports
import XCTest

final class TextEscapingTests: XCTestCase {
    private func html(_ text: String) -> String {
        var output = ""
        TextEscaping.appendHTML(text, to: &output)
        return output
    }

    private func json(_ lines: [String]) -> String {
        var output = ""
        TextEscaping.appendJSON(lines: lines, to: &output)
        return output
    }

    func testMarkupAndQuotesAreEscapedForHTML() {
        XCTAssertEqual(
            html(#"<script>alert("1") & 'x'</script>"#),
            "&lt;script&gt;alert(&quot;1&quot;) &amp; &#39;x&#39;&lt;/script&gt;")
    }

    func testMarkupCannotEndTheScriptElementHoldingJSON() {
        XCTAssertEqual(
            json([#"</script><!-- "a\b" & 'x'"#]),
            #""\u003c/script\u003e\u003c!-- \"a\\b\" \u0026 'x'""#)
    }

    func testJSONLinesAreJoinedByNewlines() {
        XCTAssertEqual(json(["one", "two", ""]), #""one\ntwo\n""#)
        XCTAssertEqual(json(["a\u{2028}b\u{2029}c €"]), #""a\u2028b\u2029c €""#)
    }

    func testPlainTextIsUnchanged() {
        for text in ["", "futex(WAIT, 0x7f…)", "pid 1234 · thread 1235 (worker)", "naïve 線程 🧵", "\u{FFFD}\u{FFFD}"] {
            XCTAssertEqual(html(text), text)
            XCTAssertEqual(json([text]), "\"\(text)\"")
        }
    }

    func testControlCharactersBecomeVisible() {
        XCTAssertEqual(html("a\u{0}b\nc\td\u{1B}[0m\u{7F}"), "a\u{2400}b\u{240A}c\u{2409}d\u{241B}[0m\u{2421}")
        XCTAssertEqual(html("x\u{85}y\u{9F}"), "x\u{FFFD}y\u{FFFD}")
        XCTAssertEqual(json(["a\nb\u{1B}"]), "\"a\u{240A}b\u{241B}\"")
    }

    /// Bytes that are not UTF-8, decoded the way an adapter reading guest memory would.
    func testUndecodableBytesStayReplacementCharacters() {
        let decoded = String(decoding: [0x77, 0xFF, 0xFE, 0xC3, 0x28, 0x3C], as: UTF8.self)
        XCTAssertEqual(html(decoded), "w\u{FFFD}\u{FFFD}\u{FFFD}(&lt;")
        XCTAssertEqual(json([decoded]), "\"w\u{FFFD}\u{FFFD}\u{FFFD}(\\u003c\"")
    }

    /// 0xC2 leads both C1 controls and ordinary Latin-1 letters; only the controls change.
    func testLatin1SurvivesTheSlowPath() {
        XCTAssertEqual(html("°±µ<"), "°±µ&lt;")
    }
}
