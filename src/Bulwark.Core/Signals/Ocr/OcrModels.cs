namespace Bulwark.Core.Signals.Ocr;

/// <summary>An 8-bit greyscale picture (row-major, no padding), as Tesseract is given it.</summary>
public sealed class GrayImage(byte[] pixels, int width, int height)
{
    public byte[] Pixels { get; } = pixels.Length >= (long)width * height ? pixels : throw new ArgumentException("fewer pixels than width × height", nameof(pixels));
    public int Width { get; } = width;
    public int Height { get; } = height;
}

/// <summary>What OCR read: the text (one line per line found), the mean confidence (0–100) of its words and how many there were.</summary>
public sealed record OcrText(string Text, double Confidence, int Words)
{
    public static OcrText Empty { get; } = new("", 0, 0);
    public bool IsEmpty => Words == 0;
}

public enum OcrErrorCode
{
    /// <summary>tesseract (or ffmpeg, for video) cannot be run or lacks a configured language: OCR is unavailable on this node.</summary>
    Unavailable,
    /// <summary>The file is not a decodable image or video.</summary>
    Unreadable,
    /// <summary>The image declares more pixels than allowed.</summary>
    TooLarge,
    Timeout,
    /// <summary>tesseract ran and failed.</summary>
    Failed,
}

public sealed record OcrError(OcrErrorCode Code, string Message)
{
    /// <summary>The code as a signal label: <c>unavailable</c>, <c>unreadable</c>, <c>too-large</c>, <c>timeout</c>, <c>failed</c>.</summary>
    public string Label => Code switch
    {
        OcrErrorCode.Unavailable => "unavailable",
        OcrErrorCode.Unreadable => "unreadable",
        OcrErrorCode.TooLarge => "too-large",
        OcrErrorCode.Timeout => "timeout",
        _ => "failed",
    };
}

public readonly record struct OcrResult(OcrText? Value, OcrError? Error)
{
    public bool IsSuccess => Error is null;
    public static OcrResult Fail(OcrErrorCode code, string message) => new(null, new(code, message));
}

/// <summary>Text read from a run of consecutive video frames that showed the same text.</summary>
public sealed record OcrFrameText(double StartSeconds, double EndSeconds, int Frames, OcrText Text);

/// <summary>The text of a video, grouped by runs of frames, and how many frames were read.</summary>
public sealed record OcrVideoResult(IReadOnlyList<OcrFrameText> Groups, int FramesRead, OcrError? Error, bool Partial);
