using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CadapDrafting.Infrastructure;

/// <summary>
/// Turns malformed requests (broken JSON, wrong types, bodies over the limit) into the problem the
/// framework meant — 400 or 413 — in every environment, instead of an error page.
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        http.Response.StatusCode = bad.StatusCode;
        var detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? "The request body is larger than this endpoint accepts."
            : bad.InnerException is System.Text.Json.JsonException json
                ? $"The request body is not valid JSON for this command: {json.Message}"
                : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == 413 ? "Request too large" : "Malformed request",
                Detail = detail,
                Type = $"https://httpstatuses.io/{bad.StatusCode}",
            },
        });
    }
}
