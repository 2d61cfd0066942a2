using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Signals.Ocr;

/// <summary>Settings of OCR of images and video frames (section <c>Bulwark:Ocr</c>).</summary>
public sealed class OcrOptions
{
    public const string Section = "Bulwark:Ocr";

    public bool Enabled { get; set; } = true;
    /// <summary>The tesseract executable (a name on PATH or a path). Missing tesseract disables OCR, nothing else.</summary>
    [Required] public string TesseractPath { get; set; } = "tesseract";
    /// <summary>The ffmpeg executable that samples video frames.</summary>
    [Required] public string FfmpegPath { get; set; } = "ffmpeg";
    /// <summary>Tesseract languages joined by '+' (each needs its traineddata, e.g. Debian's tesseract-ocr-ita).</summary>
    [Required, RegularExpression("^[A-Za-z_]+(\\+[A-Za-z_]+)*$")] public string Languages { get; set; } = "eng+ita";
    /// <summary>Tesseract page segmentation mode; 11 (sparse text) finds captions and stickers anywhere in a frame.</summary>
    [Range(0, 13)] public int PageSegmentationMode { get; set; } = 11;
    /// <summary>Words Tesseract is less confident of than this (0–100) are dropped: they are mostly texture read as letters.</summary>
    [Range(0, 100)] public int MinWordConfidence { get; set; } = 60;
    /// <summary>A reading with fewer letters and digits than this is dropped: one or two characters are noise far more often than text.</summary>
    [Range(1, 1000)] public int MinTextChars { get; set; } = 3;
    /// <summary>Images whose longer side is below this are upscaled (×2, ×3…) first: Tesseract reads small text badly.</summary>
    [Range(0, 10_000)] public int UpscaleBelowPixels { get; set; } = 1000;
    /// <summary>Images whose header declares more pixels are not decoded.</summary>
    [Range(1, 1_000_000_000)] public long MaxPixels { get; set; } = 50_000_000;
    /// <summary>One video frame is read every this-many seconds.</summary>
    [Range(0.1, 3600)] public double VideoFrameIntervalSeconds { get; set; } = 2;
    /// <summary>At most this many frames are read from one video.</summary>
    [Range(1, 10_000)] public int MaxVideoFrames { get; set; } = 60;
    /// <summary>Video frames are scaled down to fit in a square of this size before OCR.</summary>
    [Range(64, 8192)] public int MaxFrameSide { get; set; } = 1920;
    /// <summary>One tesseract run (one image or frame) that takes longer is stopped.</summary>
    [Range(1, 3600)] public int TimeoutSeconds { get; set; } = 30;
    /// <summary>The whole OCR of one video that takes longer is stopped; text read so far is kept.</summary>
    [Range(1, 36_000)] public int VideoTimeoutSeconds { get; set; } = 300;
    /// <summary>Text kept per signal; longer text is cut and the signal says so.</summary>
    [Range(64, 1_000_000)] public int MaxTextChars { get; set; } = 8192;
    /// <summary>Tesseract processes run at once in this process; 0 = one per processor.</summary>
    [Range(0, 256)] public int MaxConcurrent { get; set; }
}
