namespace Bulwark.Core.Signals.Ocr;

/// <summary>What OCR read in one file: one reading for an image, one per run of frames for a video, and why it stopped if it did.</summary>
public sealed record OcrFileResult(bool IsVideo, IReadOnlyList<OcrFrameText> Readings, OcrError? Error, bool Partial);

/// <summary>
/// OCR of one media file, image or video (from the MIME type when given, else from the first bytes), shared by the pipeline's
/// <see cref="OcrExtractor"/> and the <c>bulwark ocr</c> command. Never throws for bad input.
/// </summary>
public sealed class OcrReader(TesseractOcr tesseract, OcrVideo video)
{
    public OcrOptions Options => tesseract.Options;

    public bool IsAvailable(out string? reason) => tesseract.IsAvailable(out reason);

    public async Task<OcrFileResult> ReadAsync(string path, string? mimeType, CancellationToken ct)
    {
        if (!File.Exists(path)) return new(false, [], new(OcrErrorCode.Unreadable, $"'{path}' does not exist"), false);
        if (!tesseract.IsAvailable(out var why)) return new(false, [], new(OcrErrorCode.Unavailable, $"OCR is unavailable on this node: {why}"), false);
        var isImage = mimeType switch
        {
            not null when mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => true,
            not null when mimeType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => false,
            _ => OcrImages.IsImage(path),
        };
        if (!isImage)
        {
            var v = await video.RecognizeAsync(path, ct);
            return new(true, v.Groups, v.Error, v.Partial);
        }
        var image = OcrImages.Decode(await File.ReadAllBytesAsync(path, ct), tesseract.Options, out var error);
        if (image is null) return new(false, [], error, false);
        var r = await tesseract.RecognizeAsync(image, ct);
        if (!r.IsSuccess) return new(false, [], r.Error, false);
        return new(false, r.Value!.IsEmpty ? [] : [new OcrFrameText(0, 0, 1, r.Value)], null, false);
    }
}
