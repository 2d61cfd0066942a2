namespace Bulwark.Core.Signals;

/// <summary>
/// One piece of evidence about a content version, with an explanation a moderator can check.
/// <see cref="Type"/> names what kind of evidence it is (see <see cref="SignalTypes"/>); rules read signals by type.
/// <see cref="DetailsJson"/> is structured detail for pages and the API (a JSON object; e.g. a vPDQ match's segments),
/// stored as is; rules do not read it.
/// </summary>
public sealed record Signal(
    string Type,
    string Source,
    string Explanation,
    string? Value = null,
    double? Score = null,
    int? Distance = null,
    string? Bank = null,
    long? BankEntryId = null,
    IReadOnlyList<string>? Labels = null,
    string? DetailsJson = null);

public static class SignalTypes
{
    /// <summary>The hashes computed for a media file (value: <c>sha256=…;md5=…</c>).</summary>
    public const string MediaHashes = "media.hashes";
    /// <summary>A media file that could not be obtained; decisions on the rest of the item still go ahead.</summary>
    public const string MediaUnavailable = "media.unavailable";
    /// <summary>A match in a hash list (bank).</summary>
    public const string HashMatch = "hash.match";
    /// <summary>A match in a safe (negative) bank; the file's other matches are suppressed and listed in the explanation.</summary>
    public const string SafeMatch = "hash.safe_match";
    /// <summary>The perceptual hash of a media file (value: <c>pdq=…;quality=…</c> or <c>vpdq=N frames;md5=…</c>).</summary>
    public const string MediaPerceptual = "media.perceptual";
    /// <summary>A media file that could not be perceptually hashed (corrupt, unsupported, video hashing unavailable…).</summary>
    public const string MediaUnhashable = "media.unhashable";
    /// <summary>A link of the event, normalised (value: <c>url=…;md5=…</c>).</summary>
    public const string Url = "url";
    /// <summary>Text read from a media file or a video frame by OCR (value: the text; first label: the field, e.g. <c>ocr:0</c>).</summary>
    public const string OcrText = "media.ocr_text";
    /// <summary>A media file OCR could not read (first label: <c>unavailable</c>, <c>unreadable</c>, <c>too-large</c>, <c>timeout</c> or <c>failed</c>).</summary>
    public const string OcrFailed = "media.ocr_failed";
}
