using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Signals.Ocr;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>ocr FILE...</c>: the text OCR reads in images and video frames, as the pipeline reads it.</summary>
public static class OcrCommand
{
    public static Command Create(Option<string?> config)
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Images or videos to read." };
        var command = new Command("ocr",
            "Print the text in each image or video (sampled frames) as CSV: path,start_seconds,end_seconds,frames,confidence,text. "
            + "Problems go to stderr; exit 1 if any file could not be read.") { files };
        command.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var reader = sp.GetRequiredService<OcrReader>();
            if (!reader.IsAvailable(out var why))
            {
                Console.Error.WriteLine($"error: OCR is unavailable: {why}");
                return 1;
            }
            Console.Out.Write("path,start_seconds,end_seconds,frames,confidence,text\n");
            var failed = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                if (File.Exists(file)) CliFiles.Check(file, sp.GetRequiredService<IngestOptions>().MaxVideoBytes, "the media file");
                var r = await reader.ReadAsync(file, null, ct);
                foreach (var g in r.Readings)
                    Console.Out.Write(string.Create(CultureInfo.InvariantCulture,
                        $"{CsvCells.Field(file)},{g.StartSeconds:0.###},{g.EndSeconds:0.###},{g.Frames},{g.Text.Confidence:0.#},{CsvCells.Field(g.Text.Text)}\n"));
                if (r.Error is { } e)
                {
                    Console.Error.WriteLine($"{file}: {e.Message}");
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
