using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Records;

public class SorSubmissionTests
{
    private static SorSubmissionClient Client(FakeTransparencyDatabase fake, HttpClient http, string token = FakeTransparencyDatabase.Token, int attempts = 4) =>
        new(http, fake.BaseUri, token, new SorSubmissionRetry(attempts, BaseDelayMilliseconds: 5, MaxDelayMilliseconds: 50), TimeProvider.System, new Random(7));

    [Fact]
    public async Task Created_is_stored_and_a_duplicate_puid_counts_as_already_stored()
    {
        await using var fake = await FakeTransparencyDatabase.StartAsync();
        using var http = new HttpClient();
        var client = Client(fake, http);
        var first = await client.SubmitAsync(SorFixtures.Valid, default);
        Assert.Equal((SubmissionOutcome.Stored, 201), (first.Outcome, first.StatusCode));
        Assert.Equal(fake.Stored["bulwark-decision-1"], first.Uuid);
        var again = await client.SubmitAsync(SorFixtures.Valid, default);
        Assert.Equal((SubmissionOutcome.AlreadyStored, 422), (again.Outcome, again.StatusCode));
        Assert.Equal(2, fake.Requests);
    }

    [Fact]
    public async Task Too_many_requests_then_created_is_retried_and_stored()
    {
        await using var fake = await FakeTransparencyDatabase.StartAsync();
        using var http = new HttpClient();
        fake.Script.Enqueue(429);
        fake.Script.Enqueue(429);
        var result = await Client(fake, http).SubmitAsync(SorFixtures.Valid, default);
        Assert.Equal(SubmissionOutcome.Stored, result.Outcome);
        Assert.Equal(3, fake.Requests);
    }

    [Fact]
    public async Task Server_errors_are_retried_then_reported_as_failed()
    {
        await using var fake = await FakeTransparencyDatabase.StartAsync();
        using var http = new HttpClient();
        fake.Script.Enqueue(500);
        fake.Script.Enqueue(503);
        Assert.Equal(SubmissionOutcome.Stored, (await Client(fake, http).SubmitAsync(SorFixtures.Valid, default)).Outcome);
        Assert.Equal(3, fake.Requests);

        for (var i = 0; i < 4; i++) fake.Script.Enqueue(500);
        var failed = await Client(fake, http).SubmitAsync(SorFixtures.Valid with { Puid = "other" }, default);
        Assert.Equal((SubmissionOutcome.Failed, 500), (failed.Outcome, failed.StatusCode));
        Assert.Contains("gave up after 4 attempts", failed.Message);
        Assert.Equal(7, fake.Requests);
    }

    [Fact]
    public async Task Other_client_errors_are_rejections_with_the_database_messages_and_are_not_retried()
    {
        await using var fake = await FakeTransparencyDatabase.StartAsync();
        using var http = new HttpClient();
        var invalid = await Client(fake, http).SubmitAsync(SorFixtures.Valid with { TerritorialScope = ["EL"] }, default);
        Assert.Equal((SubmissionOutcome.Rejected, 422), (invalid.Outcome, invalid.StatusCode));
        Assert.Contains("territorial_scope[0]", invalid.Message);
        var unauthenticated = await Client(fake, http, token: "wrong").SubmitAsync(SorFixtures.Valid, default);
        Assert.Equal((SubmissionOutcome.Rejected, 401), (unauthenticated.Outcome, unauthenticated.StatusCode));
        Assert.Equal(2, fake.Requests);
    }

    [Fact]
    public async Task Pending_statements_are_submitted_once_and_failures_stay_pending()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await using var fake = await FakeTransparencyDatabase.StartAsync();
        using var http = new HttpClient();
        var service = core.Get<StatementOfReasonsService>();
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            for (var i = 0; i < 3; i++) service.Record(db, SorFixtures.Input($"s-{i}"));
            await db.SaveChangesAsync();
        }
        fake.Stored["s-1"] = "uuid-from-an-earlier-run"; // submitted before, answer lost
        for (var i = 0; i < 2; i++) fake.Script.Enqueue(500); // s-0 fails both attempts

        var report = await service.SubmitPendingAsync(Client(fake, http, attempts: 2), default);
        Assert.Equal((1, 1, 0, 1), (report.Stored, report.AlreadyStored, report.Rejected, report.Failed));

        var again = await service.SubmitPendingAsync(Client(fake, http, attempts: 2), default);
        Assert.Equal((1, 0, 0, 0), (again.Stored, again.AlreadyStored, again.Rejected, again.Failed));
        await using var check = core.Get<IBulwarkDbFactory>().Create();
        Assert.All(await check.Set<StatementRow>().ToListAsync(), r => Assert.Equal(SubmissionStatus.Stored, r.SubmissionStatus));
    }
}
