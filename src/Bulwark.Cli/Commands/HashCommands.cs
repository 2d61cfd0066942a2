using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using System.CommandLine;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Matching.Hashing;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>hash FILE...</c> and <c>match FILE... [--bank NAME]</c>: CSV on stdout, problems on stderr (exit 1 if any file failed).</summary>
public static class HashCommands
{
    public static Command Hash(Option<string?> config)
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Images or videos to hash." };
        var dihedral = new Option<bool>("--dihedral") { Description = "Also print the 7 rotated/flipped PDQ variants (pdq.rotate90 …)." };
        var resize = new Option<string>("--pdq-resize") { Description = "none (full resolution, the default) or 512 (the C++ tool's 512×512 pre-resize).", DefaultValueFactory = _ => "none" };
        resize.AcceptOnlyFromAmong("none", "512");
        var command = new Command("hash", "Print every signal of each file as CSV: path,signal_type,hash,quality.") { files, dihedral, resize };
        command.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var hasher = sp.GetRequiredService<MediaHasher>();
            var pdqResize = parse.GetValue(resize) == "512" ? PdqResize.To512 : PdqResize.None;
            Console.Out.Write("path,signal_type,hash,quality\n");
            var failed = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                var h = await HashOneAsync(hasher, file, parse.GetValue(dihedral), pdqResize, ct, sp.GetRequiredService<IngestOptions>().MaxVideoBytes);
                if (h is null) { failed++; continue; }
                Row(file, "sha256", h.Sha256, null);
                Row(file, "md5", h.Md5, null);
                if (h.Pdq is { } pdq) Row(file, "pdq", pdq.Hash.ToString(), pdq.Quality);
                if (h.Dihedral is { } d)
                    foreach (var v in Enum.GetValues<PdqDihedral>().Skip(1)) Row(file, $"pdq.{v.ToString().ToLowerInvariant()}", d[v].ToString(), d.Quality);
                if (h.Vpdq is { Count: > 0 } frames)
                {
                    var s = KnownSignalTypes.VpdqSignal(frames);
                    Row(file, "vpdq", KnownSignalTypes.VpdqOneLine(s.Payload!), s.Quality);
                    if (h.VpdqRegions.Count > 0) Row(file, "vpdq.regions", KnownSignalTypes.VpdqOneLine(VpdqRegionFormat.ToText(h.VpdqRegions)), null);
                    if (h.VpdqUntrimmed.Count > 0) Row(file, "vpdq.untrimmed", KnownSignalTypes.VpdqOneLine(VpdqFormat.ToText(h.VpdqUntrimmed)), null);
                }
                if (h.Unhashable is { } why) { Console.Error.WriteLine($"{file}: {why}"); failed++; }
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    public static Command Match(Option<string?> config)
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Images or videos to match." };
        var bank = new Option<string?>("--bank") { Description = "Only this bank." };
        var command = new Command("match", "Match files against the banks; CSV: path,bank,entry,signal_type,distance,labels (one row per match).") { files, bank };
        command.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var hasher = sp.GetRequiredService<MediaHasher>();
            var matcher = sp.GetRequiredService<KnownContentMatcher>();
            Console.Out.Write("path,bank,entry,signal_type,distance,labels\n");
            var failed = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                var h = await HashOneAsync(hasher, file, false, null, ct, sp.GetRequiredService<IngestOptions>().MaxVideoBytes);
                if (h is null) { failed++; continue; }
                if (h.Unhashable is { } why) Console.Error.WriteLine($"{file}: {why} (exact hashes still matched)");
                var set = await matcher.MatchAsync(h, parse.GetValue(bank), ct);
                foreach (var m in set.Matches)
                    Console.Out.Write($"{CsvCells.Field(file)},{CsvCells.Field(m.Bank + (m.SafeBank ? " (safe)" : ""))},{m.EntryId},{CsvCells.Field(m.SignalType)},{m.Distance},{CsvCells.Field(string.Join(';', m.Labels))}\n");
                foreach (var m in set.Suppressed)
                    Console.Error.WriteLine($"{file}: match in bank '{m.Bank}' entry {m.EntryId} suppressed by a safe bank");
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task<MediaHashes?> HashOneAsync(MediaHasher hasher, string file, bool dihedral, PdqResize? resize, CancellationToken ct, long maxBytes)
    {
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"{file}: no such file");
            return null;
        }
        CliFiles.Check(file, maxBytes, "the media file");
        return await hasher.HashFileAsync(file, MimeOf(file), dihedral, ct, resize);
    }

    /// <summary>Trusts common extensions; anything else is sniffed from the bytes.</summary>
    internal static string? MimeOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" or ".png" or ".gif" or ".webp" or ".bmp" => "image/" + Path.GetExtension(file)[1..].ToLowerInvariant(),
        ".mp4" or ".mov" or ".webm" or ".mkv" or ".avi" => "video/" + Path.GetExtension(file)[1..].ToLowerInvariant(),
        _ => null,
    };

    private static void Row(string path, string type, string hash, int? quality) =>
        Console.Out.Write($"{CsvCells.Field(path)},{CsvCells.Field(type)},{CsvCells.Field(hash)},{quality}\n");

}
