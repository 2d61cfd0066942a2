using System.CommandLine;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark ingest FILE.jsonl</c>: one content event per line, accepted in batches straight into the database.</summary>
public static class IngestCommand
{
    public const int BatchSize = 1000;

    public static Command Create(Option<string?> config)
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON Lines file: one content event per line (blank lines are skipped)." };
        var command = new Command("ingest", "Bulk-ingest content events from a JSON Lines file.") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new CliException($"File not found: {path.FullName}");
            using var sp = CliHost.Build(parse.GetValue(config));
            var summary = await RunAsync(sp.GetRequiredService<IngestService>(), path, ct);
            Console.WriteLine($"accepted {summary.Accepted}, already present {summary.Existing}, rejected {summary.Rejected} (of {summary.Lines} lines)");
            foreach (var (line, message) in summary.Errors.Take(50)) Console.WriteLine($"{path.Name}:{line}: {message}");
            if (summary.Errors.Count > 50) Console.WriteLine($"… and {summary.Errors.Count - 50} more rejected lines");
            return summary.Rejected == 0 ? 0 : 1;
        });
        return command;
    }

    public sealed record Summary(int Lines, int Accepted, int Existing, int Rejected, List<(int Line, string Message)> Errors);

    public static async Task<Summary> RunAsync(IngestService ingest, FileInfo path, CancellationToken ct)
    {
        int lines = 0, accepted = 0, existing = 0, rejected = 0;
        var errors = new List<(int, string)>();
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var task = progress.AddTask($"Ingesting {path.Name}", maxValue: path.Length);
            using var reader = new StreamReader(path.FullName);
            var lineReader = new BoundedLineReader(reader, CliFiles.IngestLineBytes);
            var batch = new List<ContentEvent>(BatchSize);
            var batchLines = new List<int>(BatchSize);
            string? text;
            while (true)
            {
                (text, var tooLong) = await lineReader.ReadLineAsync(ct);
                if (text is not null)
                {
                    lines++;
                    if (tooLong)
                    {
                        rejected++;
                        errors.Add((lines, $"the line is longer than the limit of {CliFiles.Describe(CliFiles.IngestLineBytes)} (one event; the API's limit too)"));
                        continue;
                    }
                    if (string.IsNullOrWhiteSpace(text)) continue;
                    try
                    {
                        var e = JsonSerializer.Deserialize(text, IngestJson.Default.ContentEvent);
                        if (e is null) { rejected++; errors.Add((lines, "the line is the JSON literal null")); continue; }
                        batch.Add(e);
                        batchLines.Add(lines);
                    }
                    catch (JsonException ex)
                    {
                        rejected++;
                        errors.Add((lines, $"invalid JSON: {ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}"));
                    }
                }
                if (batch.Count == BatchSize || (text is null && batch.Count > 0))
                {
                    var outcomes = await ingest.AcceptManyAsync(batch, ct);
                    for (var i = 0; i < outcomes.Count; i++)
                    {
                        switch (outcomes[i].Status)
                        {
                            case IngestStatus.Accepted: accepted++; break;
                            case IngestStatus.Existing: existing++; break;
                            default:
                                rejected++;
                                errors.Add((batchLines[i], string.Join("; ", outcomes[i].Errors.Select(e => $"{e.Field} {e.Message}"))));
                                break;
                        }
                    }
                    batch.Clear();
                    batchLines.Clear();
                    task.Value = reader.BaseStream.Position;
                }
                if (text is null) break;
            }
            task.Value = path.Length;
        });
        errors.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new Summary(lines, accepted, existing, rejected, errors);
    }
}
