using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Authorities;

/// <summary>The contract others rely on: POST/GET /api/v1/authorities/removal-orders with the <c>authorities</c> scope.</summary>
public class RemovalOrderApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_order_posted_with_the_authorities_scope_is_answered_201_executed_and_shows_its_Annex_II_feedback(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        await host.Services.GetRequiredService<AuthorityRegistry>().SaveAsync(new AuthorityInput("example-it", "EXAMPLE: fictional authority", "IT",
            [Competences.RemovalOrders], Channels.Manual, null, Example: true), "policy-admin", default);
        var ingest = host.Client(await host.KeyAsync(Scopes.Ingest));
        Assert.Equal(HttpStatusCode.Accepted, (await ingest.PostAsJsonAsync("/api/v1/content", new { id = "api-c1", kind = "text", text = "synthetic caption" })).StatusCode);
        var client = host.Client(await host.KeyAsync(Scopes.Authorities));
        var body = new
        {
            reference = "IT-API-1", authority = "example-it", memberState = "IT", issuedAt = "2026-01-15T08:00:00Z", contentIds = new[] { "api-c1" },
            ground = "threat", reasons = "Synthetic: a fictional threat", crossBorder = false,
        };

        var forbidden = await host.Client(await host.KeyAsync(Scopes.Admin, Scopes.Read)).PostAsJsonAsync("/api/v1/authorities/removal-orders", body);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("authorities", (await Json(forbidden)).GetProperty("detail").GetString());

        var created = await client.PostAsJsonAsync("/api/v1/authorities/removal-orders", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await Json(created);
        var id = order.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/authorities/removal-orders/{id}", created.Headers.Location!.OriginalString);

        var got = await Json(await client.GetAsync($"/api/v1/authorities/removal-orders/{id}"));
        Assert.Equal("executed", got.GetProperty("status").GetString());
        Assert.True(got.TryGetProperty("receivedAt", out _));
        Assert.Equal(JsonValueKind.String, got.GetProperty("executedAt").ValueKind);
        Assert.Equal("api-c1", got.GetProperty("items")[0].GetProperty("contentId").GetString());
        Assert.Equal("bulwark.removal-order.annex-ii/1", got.GetProperty("feedback").GetProperty("schema").GetString());
        var feedback = await Json(await client.GetAsync($"/api/v1/authorities/removal-orders/{id}/feedback"));
        Assert.Equal("IT-API-1", feedback.GetProperty("order").GetProperty("reference").GetString());

        var duplicate = await client.PostAsJsonAsync("/api/v1/authorities/removal-orders", body);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var problem = await Json(duplicate);
        Assert.Equal("urn:bulwark:problem:removal-order-duplicate", problem.GetProperty("type").GetString());
        Assert.Equal(id, problem.GetProperty("orderId").GetInt64());

        var invalid = await client.PostAsJsonAsync("/api/v1/authorities/removal-orders", new { authority = "nobody", memberState = "IT", issuedAt = "2026-01-15T08:00:00Z", urls = new[] { "ftp//x" }, ground = "threat", reasons = "r" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var fields = (await Json(invalid)).GetProperty("errors");
        Assert.True(fields.TryGetProperty("reference", out _) && fields.TryGetProperty("authority", out _) && fields.TryGetProperty("urls[0]", out _));
        var unknownField = await client.PostAsJsonAsync("/api/v1/authorities/removal-orders", new { reference = "X", colour = "red" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/authorities/removal-orders/9999")).StatusCode);
        var list = await Json(await client.GetAsync("/api/v1/authorities/removal-orders?status=executed"));
        Assert.Equal(1, list.GetProperty("orders").GetArrayLength());
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
}
