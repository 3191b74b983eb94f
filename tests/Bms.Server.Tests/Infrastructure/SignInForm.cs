using System.Net;
using System.Text.RegularExpressions;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>
/// Test helper: the dashboard's sign-in form as a browser without script posts it (antiforgery token from the page,
/// cookies kept by hand so every <c>Set-Cookie</c> stays visible, no redirects followed).
/// </summary>
public sealed partial class SignInForm : IDisposable
{
    private readonly HttpClient http;
    private readonly string token;
    private readonly string cookie;

    private SignInForm(HttpClient http, string token, string cookie)
    {
        this.http = http;
        this.token = token;
        this.cookie = cookie;
    }

    /// <summary>Loads <c>/signin</c> and keeps its antiforgery token and cookie.</summary>
    public static async Task<SignInForm> OpenAsync(Uri baseAddress)
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = BmsServerHost.Timeout,
        };
        using var page = await http.GetAsync("/signin").WaitAsync(BmsServerHost.Timeout);
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync().WaitAsync(BmsServerHost.Timeout);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        var cookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        return new SignInForm(http, token, cookie);
    }

    /// <summary>Posts the form; <paramref name="headers"/> are added to the request (e.g. forwarded headers).</summary>
    public async Task<HttpResponseMessage> PostAsync(string username, string password, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = token,
                ["Input.Username"] = username,
                ["Input.Password"] = password,
            }),
        };
        request.Headers.Add("Cookie", cookie);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request).WaitAsync(BmsServerHost.Timeout);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
