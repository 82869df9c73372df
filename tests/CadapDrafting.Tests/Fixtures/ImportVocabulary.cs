using System.Net.Http.Headers;
using CadapDrafting.Import;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>Uploading Word files: the review step (preview) and the import, as a browser's form sends them.</summary>
public static class ImportVocabulary
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static Task<HttpResponseMessage> Previews(this Person person, byte[] file, string fileName, object? fields = null) =>
        person.Upload("/api/imports/preview", file, fileName, fields, commandId: null);

    public static async Task<ImportPreview> PreviewOf(this Person person, byte[] file, string fileName, object? fields = null)
    {
        var response = await person.Previews(file, fileName, fields);
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ImportPreview>(Person.Json))!;
    }

    public static Task<HttpResponseMessage> Imports(this Person person, byte[] file, string fileName, object fields, Guid? commandId = null) =>
        person.Upload("/api/imports", file, fileName, fields, commandId ?? Guid.NewGuid());

    /// <summary>Imports a file as a new draft and returns the draft's id.</summary>
    public static async Task<Guid> ImportsDraft(this Person person, byte[] file, string fileName, object fields, Guid? commandId = null)
    {
        var response = await person.Imports(file, fileName, fields, commandId);
        await Expect.Status(response, HttpStatusCode.Created);
        return (await Person.Accepted(response)).Result!.Value.GetProperty("draftId").GetGuid();
    }

    public static Task<HttpResponseMessage> ImportsLanguage(this Person person, Guid draftId, byte[] file, string fileName, object fields) =>
        person.Upload($"/api/drafts/{draftId}/imports", file, fileName, fields, Guid.NewGuid());

    private static async Task<HttpResponseMessage> Upload(this Person person, string url, byte[] file, string fileName, object? fields,
        Guid? commandId)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(DocxType);
        form.Add(content, "file", fileName);
        foreach (var property in fields?.GetType().GetProperties() ?? [])
        {
            var value = property.GetValue(fields);
            if (value is null) continue;
            form.Add(new StringContent(value is string s ? s : value is int or Enum
                ? value.ToString()! : JsonSerializer.Serialize(value, Person.Json)),
                property.Name);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
        if (commandId is { } id) request.Headers.Add("Idempotency-Key", id.ToString());
        return await person.Http.SendAsync(request);
    }
}
