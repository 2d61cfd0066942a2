using System.Net.Http.Headers;
using System.Text;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Authorities.Registry;

namespace Bulwark.Core.Authorities.Orders;

/// <summary>Sends a form (Annex II feedback, Annex III) to an authority through its registry channel.</summary>
public interface IAuthorityDelivery
{
    /// <returns>Whether it was delivered, and what happened (kept on the order and shown to legal officers).</returns>
    Task<(bool Delivered, string Note)> SendAsync(CompetentAuthority authority, string form, string json, CancellationToken ct);
}

/// <summary>
/// The <c>https</c> channel: a POST of the JSON form to the authority's endpoint, through the guarded client webhooks use
/// (no redirects, internal addresses refused unless allow-listed in <c>Bulwark:Webhooks:AllowedInternal</c>). A 2xx answer is
/// delivery; anything else is recorded and retried by the clock job. Other channels (<c>email</c>, <c>manual</c>) are not
/// sent by Bulwark: the legal officer sends the printable page and records it.
/// </summary>
public sealed class HttpsAuthorityDelivery(IHttpClientFactory http) : IAuthorityDelivery
{
    public async Task<(bool Delivered, string Note)> SendAsync(CompetentAuthority authority, string form, string json, CancellationToken ct)
    {
        if (authority.Channel != Channels.Https || authority.Contact is null)
            return (false, $"to send by hand: the authority's channel is {authority.Channel}{(authority.Contact is null ? "" : $" ({authority.Contact})")}; print the form and record how it was sent");
        try
        {
            using var client = http.CreateClient(WebhookDispatcher.HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, authority.Contact) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Bulwark-Form", form);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await client.SendAsync(request, cts.Token);
            return response.IsSuccessStatusCode
                ? (true, $"delivered to {authority.Contact} ({(int)response.StatusCode})")
                : (false, $"{authority.Contact} answered {(int)response.StatusCode}; retried");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (false, $"{authority.Contact} unreachable ({ex.GetType().Name}: {ex.Message}); retried");
        }
    }
}
