using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.KnownContent;

/// <summary>`bulwark hash`, `match` and `bank` as a user runs them, including a CSV export/import round trip.</summary>
public class KnownContentCliTests
{
    private static Task<CliRun> Bulwark(TestDatabase db, params string[] args) => CliRunner.RunAsync(db, args);

    [Fact]
    public async Task Files_are_hashed_banked_matched_and_banks_round_trip_through_csv()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await Bulwark(db, "db", "migrate")).ExitCode);
        var original = Path.Combine(db.Directory, "original.png");
        var copy = Path.Combine(db.Directory, "copy.jpg");
        await File.WriteAllBytesAsync(original, SyntheticMedia.Image(21));
        await File.WriteAllBytesAsync(copy, SyntheticMedia.Resized(SyntheticMedia.Image(21), 200, 150));

        var hash = await Bulwark(db, "hash", original, "--dihedral");
        Assert.Equal(0, hash.ExitCode);
        var rows = hash.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,signal_type,hash,quality", rows[0]);
        Assert.Equal(1 + 2 + 8, rows.Length); // header, sha256, md5, pdq and its 7 variants
        Assert.Matches($"^{Regex(original)},pdq,[0-9a-f]{{64}},[0-9]+$", rows[3]);

        Assert.Equal(0, (await Bulwark(db, "bank", "create", "terror")).ExitCode);
        var add = await Bulwark(db, "bank", "add", "terror", original, "--label", "glorification-of-terrorist-acts", "--entity", "Synthetic Org");
        Assert.True(add.ExitCode == 0, add.Err);
        var match = await Bulwark(db, "match", copy);
        Assert.Equal(0, match.ExitCode);
        Assert.Matches($"^{Regex(copy)},terror,[0-9]+,pdq,[0-9]+,glorification-of-terrorist-acts$", match.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1]);

        // A vPDQ file (frames as the reference writes them) goes in and comes out unchanged.
        var random = new Random(17);
        var frames = Enumerable.Range(0, 5).Select(i => new Matching.Hashing.VpdqFrame(i * 30, 90 + i,
            new Matching.Hashing.PdqHash((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64()), i)).ToList();
        var vpdqFile = Path.Combine(db.Directory, "clip.txt");
        await File.WriteAllTextAsync(vpdqFile, Matching.Hashing.VpdqFormat.ToText(frames));
        var imported = await Bulwark(db, "bank", "import", "terror", vpdqFile, "--format", "vpdq", "--label", "perpetrator-produced-or-crisis-incident");
        Assert.True(imported.ExitCode == 0, imported.Err);
        var exportedVpdq = await Bulwark(db, "bank", "export", "terror", "--format", "vpdq", "--entry", "2");
        Assert.Equal(await File.ReadAllTextAsync(vpdqFile), exportedVpdq.Out);
        Assert.Contains("not vpdq", (await Bulwark(db, "bank", "export", "terror", "--format", "vpdq", "--entry", "1")).Err);
        Assert.Equal(1, (await Bulwark(db, "hash", original, "--pdq-resize", "300")).ExitCode);

        var export = await Bulwark(db, "bank", "export", "terror");
        Assert.Contains("\nvpdq,\"0,90,", export.Out); // the one-line frame list is quoted: it holds commas
        var csv = Path.Combine(db.Directory, "terror.csv");
        await File.WriteAllTextAsync(csv, export.Out);
        Assert.Equal(0, (await Bulwark(db, "bank", "create", "copy")).ExitCode);
        Assert.Equal(0, (await Bulwark(db, "bank", "import", "copy", csv)).ExitCode);
        Assert.Equal(export.Out, (await Bulwark(db, "bank", "export", "copy")).Out);

        var bad = Path.Combine(db.Directory, "bad.csv");
        await File.WriteAllTextAsync(bad, "signal_type,signal_str,collab,category,tags\npdq,123,,,\n" + export.Out.Split('\n')[1] + "\nmd5,\"unterminated,,,\nfoo,x,,,\n");
        var refused = await Bulwark(db, "bank", "import", "copy", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{bad}:2: invalid pdq hash '123'", refused.Err);
        Assert.Contains($"{bad}:4: unterminated quoted field", refused.Err);
        Assert.Contains($"{bad}:5: unknown signal type 'foo'", refused.Err);
        Assert.Contains("copy,2,", (await Bulwark(db, "bank", "list")).Out);
        var skipped = await Bulwark(db, "bank", "import", "copy", bad, "--skip-invalid");
        Assert.Equal(0, skipped.ExitCode);
        Assert.Contains("copy,3,", (await Bulwark(db, "bank", "list")).Out);

        var local = await Bulwark(db, "bank", "export", "terror", "--format", "local");
        Assert.Matches("^pdq [0-9a-f]{64}\nvpdq 0,90,[0-9a-f]{64},0.000;30,91,", local.Out);
        var localFile = Path.Combine(db.Directory, "terror.local");
        await File.WriteAllTextAsync(localFile, local.Out);
        Assert.Equal(0, (await Bulwark(db, "bank", "create", "from-local")).ExitCode);
        Assert.Equal(0, (await Bulwark(db, "bank", "import", "from-local", localFile, "--format", "local")).ExitCode);
        Assert.Equal(local.Out, (await Bulwark(db, "bank", "export", "from-local", "--format", "local")).Out);
    }

    private static string Regex(string s) => System.Text.RegularExpressions.Regex.Escape(s);
}
