using Alba;

namespace CadapDrafting.Tests.Foundation;

[Collection(ServerCollection.Name)]
public sealed class ServerBasics(AppFixture app)
{
    [Fact]
    public async Task Readiness_checks_the_database_and_liveness_needs_nothing()
    {
        await app.Host.Scenario(s => { s.Get.Url("/health/live"); s.StatusCodeShouldBeOk(); });
        var ready = await app.Host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBeOk(); });
        Assert.Equal("Healthy", ready.ReadAsText());
    }

    [Fact]
    public async Task The_api_is_described_by_an_openapi_document_with_a_reference_page()
    {
        var document = await app.Host.Scenario(s => { s.Get.Url("/openapi/v1.json"); s.StatusCodeShouldBeOk(); });
        var json = JsonDocument.Parse(document.ReadAsText()).RootElement;
        Assert.True(json.GetProperty("paths").TryGetProperty("/api/drafts/{draftId}/proposals", out _));
        await app.Host.Scenario(s => { s.Get.Url("/api-reference/v1"); s.StatusCodeShouldBeOk(); });
    }

    [Fact]
    public async Task Api_calls_without_a_token_are_refused()
    {
        await app.Host.Scenario(s => { s.Get.Url("/api/drafts"); s.StatusCodeShouldBe(401); });
    }

    [Fact]
    public async Task A_command_without_a_command_id_or_with_broken_json_is_a_problem_not_an_error()
    {
        var editor = await Person.SignIn(app, "kg-editor");
        var noId = await editor.Http.PostAsJsonAsync("/api/drafts",
            new { country = "KG", kind = "Law", title = new { en = "x" }, periodStart = 2025, periodEnd = 2026 });
        await Expect.Problem(noId, HttpStatusCode.BadRequest);

        var broken = new HttpRequestMessage(HttpMethod.Post, "/api/drafts")
        {
            Content = new StringContent("{\"country\": \"KG\", ", System.Text.Encoding.UTF8, "application/json")
        };
        broken.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await Expect.Problem(await editor.Http.SendAsync(broken), HttpStatusCode.BadRequest);

        var nul = await editor.Command("/api/drafts",
            new { country = "KG", kind = "Law", title = new { en = "bad\0text" }, periodStart = 2025, periodEnd = 2026 });
        await Expect.Problem(nul, HttpStatusCode.UnprocessableEntity);
    }
}
