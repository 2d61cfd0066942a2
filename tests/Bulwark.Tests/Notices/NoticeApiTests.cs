using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Notices;

/// <summary>The contract others rely on: POST /api/v1/notices (scope ingest) answers 201/202 with the id and acknowledgement; bad input is a 400 naming the field.</summary>
public class NoticeApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Notices_are_received_deduplicated_and_read_back_through_the_api(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var ingest = host.Client(await host.KeyAsync(Scopes.Ingest));
        var body = new { url = "https://social.example/p/unknown-1", explanation = "Praises an attack.", notifier = new { name = "Example Notifier", email = "n@example.org" }, goodFaith = true };

        var first = await ingest.PostAsJsonAsync("/api/v1/notices", body);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var receipt = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = receipt.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/notices/{id}", first.Headers.Location!.ToString());
        Assert.Equal("awaiting_content", receipt.GetProperty("status").GetString());
        Assert.Contains($"notice no. {id}", receipt.GetProperty("acknowledgement").GetString());

        var again = await ingest.PostAsJsonAsync("/api/v1/notices", body);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var repeat = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((id, true), (repeat.GetProperty("id").GetInt64(), repeat.GetProperty("duplicate").GetBoolean()));

        var read = await ingest.GetFromJsonAsync<JsonElement>($"/api/v1/notices/{id}");
        Assert.Equal("https://social.example/p/unknown-1", read.GetProperty("url").GetString());
        Assert.Equal("acknowledgement", read.GetProperty("messages")[0].GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await ingest.GetAsync("/api/v1/notices/999999")).StatusCode);
    }

    [Fact]
    public async Task Bad_notices_get_a_problem_naming_the_field_and_other_scopes_are_refused()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var ingest = host.Client(await host.KeyAsync(Scopes.Ingest));
        async Task<(HttpStatusCode, JsonElement)> Post(object body)
        {
            var r = await ingest.PostAsJsonAsync("/api/v1/notices", body);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            return (r.StatusCode, await r.Content.ReadFromJsonAsync<JsonElement>());
        }

        var (status, p) = await Post(new { explanation = "Praises an attack.", goodFaith = true });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(p.GetProperty("errors").TryGetProperty("contentId", out _));
        (status, p) = await Post(new { contentId = "post-1", goodFaith = true });
        Assert.True(p.GetProperty("errors").TryGetProperty("explanation", out _));
        (status, p) = await Post(new { contentId = "post-1", explanation = "x", goodFaith = false });
        Assert.True(p.GetProperty("errors").TryGetProperty("goodFaith", out _));
        (status, p) = await Post(new { contentId = "post-1", explanation = "x", goodFaith = true, priority = "urgent" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("priority", p.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(null).PostAsJsonAsync("/api/v1/notices", new { contentId = "a", explanation = "x", goodFaith = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(await host.KeyAsync(Scopes.Read)).PostAsJsonAsync("/api/v1/notices", new { contentId = "a", explanation = "x", goodFaith = true })).StatusCode);
    }
}
