using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Ocr;

/// <summary><c>bulwark ocr</c>, run as a user would.</summary>
public class OcrCliTests
{
    [Fact]
    public async Task Ocr_prints_the_text_of_each_file_as_csv_and_names_the_files_it_could_not_read()
    {
        TextMedia.RequireOcr();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var image = Path.Combine(db.Directory, "caption.png");
        await File.WriteAllBytesAsync(image, TextMedia.Image(["Meet me at the station", "tomorrow morning"]));
        var broken = Path.Combine(db.Directory, "broken.png");
        await File.WriteAllTextAsync(broken, "not an image");

        var run = await CliRunner.RunAsync(db, "ocr", image, broken);
        Assert.Equal(1, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,start_seconds,end_seconds,frames,confidence,text", lines[0]);
        Assert.StartsWith($"{image},0,0,1,", lines[1]);
        Assert.Contains("Meet me at the station", run.Out);
        Assert.Contains($"{broken}: ", run.Err);

        var config = Path.Combine(db.Directory, "no-tesseract.json");
        await File.WriteAllTextAsync(config, """{ "Bulwark": { "Ocr": { "TesseractPath": "/nonexistent/tesseract" } } }""");
        var unavailable = await CliRunner.RunAsync(db, "ocr", image, "--config", config);
        Assert.Equal(1, unavailable.ExitCode);
        Assert.Contains("error: OCR is unavailable: '/nonexistent/tesseract' is not installed", unavailable.Err);
    }
}
