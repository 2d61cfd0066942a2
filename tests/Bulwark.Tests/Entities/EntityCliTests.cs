using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Entities;

/// <summary>`bulwark lists import`, `entities` and `screen` as a user runs them.</summary>
public class EntityCliTests
{
    private static Task<CliRun> Bulwark(TestDatabase db, params string[] args) => CliRunner.RunAsync(db, args);

    private static string UnList(params (string Id, string Name)[] records) =>
        """<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES>""" +
        string.Concat(records.Select(r => $"<ENTITY><DATAID>{r.Id}</DATAID><FIRST_NAME>{r.Name}</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>" +
            $"<REFERENCE_NUMBER>QDe.9{r.Id}</REFERENCE_NUMBER><LISTED_ON>2020-01-01</LISTED_ON></ENTITY>")) +
        "</ENTITIES></CONSOLIDATED_LIST>";

    [Fact]
    public async Task Lists_are_imported_with_their_diff_reviewed_and_screened_from_the_command_line()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await Bulwark(db, "db", "migrate")).ExitCode);
        string File(string name, string content) { var p = Path.Combine(db.Directory, name); System.IO.File.WriteAllText(p, content); return p; }
        var v1 = File("v1.xml", UnList(("1", "Northwind Vanguard Front"), ("2", "Ashen Crescent Brigade"), ("3", "Ironvale Liberation Cell"), ("4", "Saltmarsh Revolt Network")));
        var v2 = File("v2.xml", UnList(("1", "Northwind Vanguard Front"), ("2", "Ashen Crescent Brigade of the East"), ("3", "Ironvale Liberation Cell"), ("5", "Granite Harbour Legion")));

        var first = await Bulwark(db, "lists", "import", "un-sc", v1);
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.StartsWith("Import run 1 of un-sc (applied): 4 records; added 4, changed 0, delisted 0, unchanged 0", first.Out);

        var dry = await Bulwark(db, "lists", "import", "un-sc", v2, "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        var lines = dry.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Import run 2 of un-sc (dry-run): 4 records; added 1, changed 1, delisted 1, unchanged 2", lines[0]);
        Assert.Equal(["+ 5 QDe.95 Granite Harbour Legion", "~ 2 QDe.92 Ashen Crescent Brigade of the East (PrimaryName,Names)", "- 4 QDe.94 Saltmarsh Revolt Network", "Dry run: nothing was changed."], lines[1..]);
        Assert.Contains("Saltmarsh Revolt Network", (await Bulwark(db, "screen", "the Saltmarsh Revolt Network lives")).Out);

        Assert.Equal(0, (await Bulwark(db, "lists", "import", "un-sc", v2)).ExitCode);
        var screened = await Bulwark(db, "screen", "the Salt marsh Revolt Network and the Gr4nite Harbour Legion");
        Assert.Equal(0, screened.ExitCode);
        var rows = screened.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,end,matched,entity_id,entity,tier,term_type,term,steps,score", rows[0]);
        Assert.Matches("^38,60,Gr4nite Harbour Legion,5,Granite Harbour Legion,terrorist_organisation,name,Granite Harbour Legion,CaseFold\\|Leetspeak,1$", Assert.Single(rows[1..]));

        var names = File("names.txt", "granite harbor legion\nAda Lovelace\n\nNorthwind Vanguard Frnt\n");
        var byName = await Bulwark(db, "screen", "--names", names);
        var nameRows = byName.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("input,entity_id,reference_number,matched_name,score", nameRows[0]);
        Assert.Contains(nameRows, r => r.StartsWith("granite harbor legion,5,QDe.95,Granite Harbour Legion,", StringComparison.Ordinal));
        Assert.Contains(nameRows, r => r.StartsWith("Northwind Vanguard Frnt,1,QDe.91,", StringComparison.Ordinal));
        Assert.DoesNotContain(nameRows, r => r.StartsWith("Ada Lovelace", StringComparison.Ordinal));

        var csv = File("expert.csv", "Title,City,State,Group,Ideology,Headquarters,Statewide,Year\nCinder Oath Fellowship,Springfield,Oregon,,White Nationalist,Yes,No,2023\n");
        Assert.Equal(0, (await Bulwark(db, "lists", "import", "csv", "--source", "expert-demo", csv)).ExitCode);
        var proposed = await Bulwark(db, "entities", "list", "--status", "proposed", "--source", "expert-demo");
        var row = Assert.Single(proposed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Matches("^6,proposed,hateful_organisation,organisation,Cinder Oath Fellowship,expert-demo,$", row);
        Assert.Empty((await Bulwark(db, "screen", "Cinder Oath Fellowship")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
        var approve = await Bulwark(db, "entities", "approve", "6", "--reason", "reviewed by the regional expert");
        Assert.Equal((0, "Entity 6 (Cinder Oath Fellowship) is now approved.\n"), (approve.ExitCode, approve.Out));
        Assert.Single((await Bulwark(db, "screen", "Cinder Oath Fellowship")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
        var again = await Bulwark(db, "entities", "approve", "6", "--reason", "again");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Entity 6 is approved; it can only become approved from proposed", again.Err);
        Assert.Equal(0, (await Bulwark(db, "entities", "revoke", "6", "--reason", "designation lapsed")).ExitCode);

        var broken = File("broken.xml", "<CONSOLIDATED_LIST><ENTITIES>");
        var refused = await Bulwark(db, "lists", "import", "un-sc", broken);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused (unreadable): Malformed XML", refused.Err);
        var shrink = await Bulwark(db, "lists", "import", "un-sc", File("one.xml", UnList(("1", "Northwind Vanguard Front"))));
        Assert.Equal(1, shrink.ExitCode);
        Assert.Contains("shrank from 4 to 1 records", shrink.Err);
        Assert.Equal(0, (await Bulwark(db, "lists", "import", "un-sc", Path.Combine(db.Directory, "one.xml"), "--force")).ExitCode);
    }
}
