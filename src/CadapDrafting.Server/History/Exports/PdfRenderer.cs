using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CadapDrafting.Infrastructure;

namespace CadapDrafting.History.Exports;

/// <summary>
/// PDF of a revision: the Word export converted by LibreOffice (headless, from Debian) to PDF/A-3b, so the PDF
/// looks like the DOCX (same title page, contents, page numbers, DRAFT mark, footer stamp) with its fonts
/// embedded, under a clock stopped at the stamp's time; its fonts are put in one order (<see cref="PdfFontOrder"/>); then
/// <see cref="PdfArchive"/> attaches the Akoma Ntoso
/// file and the evidence manifest. A conversion takes seconds, so they are bounded: at most <see cref="Slots"/>
/// run at once in the process (each with its own LibreOffice profile, reused), a caller waits at most
/// <see cref="QueueTimeout"/> for a slot and a conversion is killed after <see cref="RenderTimeout"/>. Rendered
/// files are kept by stamp and language: the same revision gives the same bytes, so a second request is a lookup.
/// </summary>
public sealed class PdfRenderer(ILogger<PdfRenderer> logger, IConfiguration configuration) : IDisposable
{
    public static readonly int Slots = Math.Max(1, Environment.ProcessorCount / 2);
    private static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(120);
    private const int Kept = 16;

    /// <summary>PDF/A-3b: the level that allows attaching files of any type (the Akoma Ntoso XML, the manifest).</summary>
    private const string FilterOptions = """pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"3"},"UseTaggedPDF":""" +
        """{"type":"boolean","value":"true"},"ExportBookmarks":{"type":"boolean","value":"true"}}""";

    // Slots and their folders belong to the process, so every renderer in it shares the same bound.
    private static readonly SemaphoreSlim SlotGate = new(Slots, Slots);
    private static readonly ConcurrentBag<int> FreeProfiles = new(Enumerable.Range(0, Slots));
    private readonly ConcurrentDictionary<string, byte[]> _rendered = new();
    private readonly ConcurrentQueue<string> _renderedOrder = new();

    /// <summary>Debian's libfaketime, wherever the architecture puts it.</summary>
    private static readonly string FakeClock =
        (Directory.Exists("/usr/lib") ? Directory.GetDirectories("/usr/lib") : [])
        .Select(d => Path.Combine(d, "faketime", "libfaketime.so.1"))
        .FirstOrDefault(File.Exists) ?? "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    private string Converter => configuration["Exports:Soffice"] ?? "soffice";
    private const string Setarch = "/usr/bin/setarch";

    /// <summary>
    /// The renderer's own folder: its converter profiles and one work folder per slot; removed when the server stops.
    /// By default one per process; <c>Exports:PdfWorkFolder</c> names another (a test renders with fresh profiles).
    /// </summary>
    private string WorkRoot => _workRoot ??= configuration["Exports:PdfWorkFolder"] is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.Combine(Path.GetTempPath(), $"cadap-pdf-{Environment.ProcessId}");

    private string? _workRoot;

    public void Dispose()
    {
        try { if (Directory.Exists(WorkRoot)) Directory.Delete(WorkRoot, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The PDF, or a 503 problem saying why it could not be rendered now.</summary>
    public async Task<(byte[]? Pdf, Problem? Problem)> RenderAsync(ExportDocument doc, CancellationToken ct)
    {
        var key = $"{doc.DraftId:N}/{doc.Position}/{doc.Language}/{doc.Stamp.ContentHash}/{doc.Stamp.Head?.Head.Size}";
        if (_rendered.TryGetValue(key, out var kept)) return (kept, null);

        var docx = new MemoryStream();
        DocxExport.Write(doc, docx);
        var akn = new MemoryStream();
        await AknExport.WriteAsync(doc, akn, ct);
        var aknName = $"draft-{doc.DraftId:N}-r{doc.Revision}-{doc.Language}.akn.xml";
        var attachments = new[]
        {
            new PdfAttachment(aknName, "application/akn+xml", "Source", "The same revision in Akoma Ntoso 3.0", akn.ToArray()),
            new PdfAttachment(ExportStamp.ManifestName, "application/json", "Supplement",
                "What this file was made from: revision, position, content hash and chain head", doc.Stamp.Manifest(doc.Language, aknName)),
            new PdfAttachment(Evidence.ExportContent.PdfName, "application/json", "Data",
                "The content this file renders, whose hash is the content hash", new UTF8Encoding(false).GetBytes(doc.EmbeddedContent)),
        };

        var (converted, problem) = await ConvertAsync(docx.ToArray(), doc.Stamp.MadeAt, ct);
        if (problem is not null) return (null, problem);
        byte[] pdf;
        try
        {
            pdf = PdfArchive.Finish(PdfFontOrder.Settle(converted!), doc.Stamp, attachments);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            logger.LogError(e, "The converted PDF could not take its attachments");
            return (null, Problem.Unavailable("The PDF could not be finished; the Word export is available."));
        }
        if (_rendered.TryAdd(key, pdf))
        {
            _renderedOrder.Enqueue(key);
            while (_renderedOrder.Count > Kept && _renderedOrder.TryDequeue(out var old)) _rendered.TryRemove(old, out _);
        }
        return (pdf, null);
    }

    /// <summary>DOCX → PDF/A-3b with LibreOffice in a slot of its own; a 503 when every slot stays busy, never an unbounded queue.</summary>
    private async Task<(byte[]? Pdf, Problem? Problem)> ConvertAsync(byte[] docx, DateTimeOffset madeAt, CancellationToken ct)
    {
        if (!await SlotGate.WaitAsync(QueueTimeout, ct))
            return (null, Problem.Unavailable("Every PDF renderer is busy; try again in a minute."));
        FreeProfiles.TryTake(out var profile);
        // The same folder and file name for every conversion in a slot: the converter derives the PDF's id from them.
        var work = Path.Combine(WorkRoot, $"slot-{profile}");
        try
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
            Directory.CreateDirectory(work);
            var input = Path.Combine(work, "export.docx");
            await File.WriteAllBytesAsync(input, docx, ct);
            var profileUri = new Uri(Path.Combine(WorkRoot, $"profile-{profile}") + "/").AbsoluteUri;
            // Without address-space randomisation (util-linux's setarch -R): a conversion under load once wrote the two embedded
            // font subsets in the other order (same bytes otherwise), as an order taken from where objects sit in memory would.
            var unrandomised = File.Exists(Setarch);
            var info = new ProcessStartInfo(unrandomised ? Setarch : Converter)
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work,
            };
            if (unrandomised) { info.ArgumentList.Add("-R"); info.ArgumentList.Add(Converter); }
            foreach (var argument in new[] { $"-env:UserInstallation={profileUri}", "--headless", "--norestore", "--nolockcheck",
                         "--convert-to", FilterOptions, "--outdir", work, input })
                info.ArgumentList.Add(argument);
            // LibreOffice writes its profile under HOME as well; give it the work folder, never the server's home.
            info.Environment["HOME"] = work;
            info.Environment["TZ"] = "UTC";
            // The converter writes the clock into the PDF (dates, the id, the embedded fonts' tables). Run with the clock
            // stopped at the stamp's time, the same revision converts to the same bytes.
            if (File.Exists(FakeClock))
            {
                info.Environment["LD_PRELOAD"] = FakeClock;
                info.Environment["FAKETIME"] = madeAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
                info.Environment["DONT_FAKE_MONOTONIC"] = "1";
            }
            else logger.LogWarning("{FakeClock} is missing (Debian package libfaketime): PDFs of the same revision will differ in their dates",
                FakeClock);

            var watch = Stopwatch.StartNew();
            Process? started;
            try
            {
                started = Process.Start(info);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                logger.LogError(e, "The PDF converter {Converter} could not be started", Converter);
                started = null;
            }
            if (started is null)
                return (null, Problem.Unavailable("The PDF renderer (LibreOffice) is not installed on this server; the Word export is available."));
            using var process = started;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RenderTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested) throw;
                return (null, Problem.Unavailable($"Rendering the PDF took longer than {RenderTimeout.TotalSeconds:0} s and was stopped."));
            }
            var pdfPath = Path.Combine(work, "export.pdf");
            if (process.ExitCode != 0 || !File.Exists(pdfPath))
            {
                logger.LogError("PDF conversion failed with exit code {ExitCode}: {Output} {Errors}", process.ExitCode, await output, await errors);
                return (null, Problem.Unavailable("The PDF could not be rendered; the Word export is available."));
            }
            logger.LogInformation("Rendered a PDF of {Bytes} bytes in {Milliseconds} ms", new FileInfo(pdfPath).Length, watch.ElapsedMilliseconds);
            var pdf = await File.ReadAllBytesAsync(pdfPath, ct);
            // The converter writes its clock as the creation date: any other date than the stamp's says the clock was not
            // stopped in this conversion, and its bytes will differ from another conversion of the revision.
            var created = "/CreationDate(D:" + madeAt.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            if (System.Text.Encoding.Latin1.GetString(pdf).IndexOf(created, StringComparison.Ordinal) < 0)
                logger.LogWarning("The converted PDF does not carry the stamp's time {MadeAt}: the stopped clock did not apply", madeAt);
            return (pdf, null);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
            FreeProfiles.Add(profile);
            SlotGate.Release();
        }
    }
}
