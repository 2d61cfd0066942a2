using System.Text.Encodings.Web;

namespace Bulwark.Server.ConsoleUi;

/// <summary>
/// The console's HTML encoder: the default one, except that bidirectional control characters (embeddings and overrides
/// U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C) are written as a visible marker
/// <c>⟨U+202E⟩</c> instead of reaching the browser, in text and attribute values alike. An override in a user-supplied name,
/// caption or file name would otherwise reverse what follows it: "\u202Enimda" would read "admin" and "\u202Egnp.exe" would
/// read "exe.png". Registered for Razor, so every page gets it without per-page changes; the stylesheet also isolates table
/// cells, headings and form fields (<c>unicode-bidi: plaintext</c>) so that genuine right-to-left text cannot reorder the
/// console's own text around it.
/// </summary>
public sealed class BidiSafeHtmlEncoder(HtmlEncoder inner) : HtmlEncoder
{
    public static readonly BidiSafeHtmlEncoder Console = new(HtmlEncoder.Default);

    // "&#x27E8;U+202E&#x27E9;": the marker with its brackets as character references, so it survives any page encoding.
    private const int MarkerLength = 22;

    public static bool IsBidiControl(int c) => c is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C;

    /// <summary>The marker shown in place of a bidi control, as the user sees it (e.g. <c>⟨U+202E⟩</c>).</summary>
    public static string Marker(int c) => $"\u27E8U+{c:X4}\u27E9";

    public override int MaxOutputCharactersPerInputCharacter => Math.Max(inner.MaxOutputCharactersPerInputCharacter, MarkerLength);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var first = inner.FindFirstCharacterToEncode(text, textLength);
        var span = new ReadOnlySpan<char>(text, first < 0 ? textLength : first);
        for (var i = 0; i < span.Length; i++)
            if (IsBidiControl(span[i])) return i;
        return first;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!IsBidiControl(unicodeScalar)) return inner.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        var marker = $"&#x27E8;U+{unicodeScalar:X4}&#x27E9;";
        numberOfCharactersWritten = 0;
        if (marker.Length > bufferLength) return false;
        marker.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = marker.Length;
        return true;
    }

    public override bool WillEncode(int unicodeScalar) => IsBidiControl(unicodeScalar) || inner.WillEncode(unicodeScalar);
}
