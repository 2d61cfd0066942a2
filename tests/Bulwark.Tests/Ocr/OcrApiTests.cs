using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Ocr;

/// <summary>OCR availability as the server reports it in <c>/health/ready</c>.</summary>
public class OcrApiTests
{
    private static async Task<JsonElement> OcrCheckAsync(ApiHost host)
    {
        var ready = await (await host.Admin.GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>();
        return ready.GetProperty("checks").GetProperty("ocr");
    }

    [Fact]
    public async Task Readiness_reports_OCR_available_or_degraded_with_the_reason()
    {
        await using (var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Ocr:TesseractPath"] = "/nonexistent/tesseract" }))
        {
            var check = await OcrCheckAsync(host);
            Assert.Equal("degraded", check.GetProperty("status").GetString());
            Assert.Contains("OCR unavailable: '/nonexistent/tesseract' is not installed", check.GetProperty("description").GetString());
        }

        TextMedia.RequireOcr(video: true);
        await using var ok = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var healthy = await OcrCheckAsync(ok);
        Assert.Equal("healthy", healthy.GetProperty("status").GetString());
        Assert.Equal("OCR available for images and video frames (eng+ita)", healthy.GetProperty("description").GetString());
    }
}
