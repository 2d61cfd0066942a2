using Bulwark.Core.Signals.Ocr;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bulwark.Server.Health;

/// <summary>Readiness: whether OCR of images (tesseract with its languages) and of video frames (also ffmpeg) works on this node.
/// Missing OCR degrades readiness, it does not fail it: every other detector still runs and items say OCR was unavailable.</summary>
public sealed class OcrHealthCheck(TesseractOcr tesseract, OcrVideo video) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var options = tesseract.Options;
        if (!options.Enabled) return Task.FromResult(HealthCheckResult.Healthy("OCR disabled (Bulwark:Ocr:Enabled=false)"));
        var images = tesseract.IsAvailable(out var why);
        var videos = video.IsAvailable(out var videoWhy);
        var data = new Dictionary<string, object> { ["images"] = images, ["videos"] = videos, ["languages"] = options.Languages };
        if (!images) return Task.FromResult(HealthCheckResult.Degraded($"OCR unavailable: {why}", data: data));
        if (!videos) return Task.FromResult(HealthCheckResult.Degraded($"OCR of images available ({options.Languages}); video OCR unavailable: {videoWhy}", data: data));
        return Task.FromResult(HealthCheckResult.Healthy($"OCR available for images and video frames ({options.Languages})", data));
    }
}
