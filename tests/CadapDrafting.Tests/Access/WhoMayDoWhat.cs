using System.Reflection;
using CadapDrafting.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace CadapDrafting.Tests.Access;

/// <summary>
/// The access matrix, generated: every endpoint and hub method × every role × own or other country × each
/// situation a draft can be in, against the role table of the domain.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WhoMayDoWhat(AppFixture app)
{
    /// <summary>
    /// The role table of DOMAIN.md, written out here on its own so that the server's table
    /// (<see cref="AccessPolicy.Table"/>) is held to it: changing a rule there fails this test until the
    /// domain's table is changed here too.
    /// </summary>
    private static readonly Dictionary<(Role, DraftAction), Reach> DomainRoleTable = new()
    {
        [(Role.Drafter, DraftAction.Read)] = Reach.OwnCountry,
        [(Role.Drafter, DraftAction.Create)] = Reach.OwnCountry,
        [(Role.Drafter, DraftAction.Propose)] = Reach.OwnCountry,
        [(Role.Drafter, DraftAction.Comment)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.Read)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.Create)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.Propose)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.DecideProposal)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.Comment)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.DisposeComment)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.ManageLifecycle)] = Reach.OwnCountry,
        [(Role.Approver, DraftAction.Read)] = Reach.OwnCountry,
        [(Role.Approver, DraftAction.SignOff)] = Reach.OwnCountry,
        [(Role.Approver, DraftAction.Comment)] = Reach.OwnCountry,
        [(Role.EuExpert, DraftAction.Read)] = Reach.SharedForConsultation,
        [(Role.EuExpert, DraftAction.Propose)] = Reach.SharedForConsultation,
        [(Role.EuExpert, DraftAction.Comment)] = Reach.SharedForConsultation,
        [(Role.Cso, DraftAction.Read)] = Reach.PublicConsultation,
        [(Role.Cso, DraftAction.Comment)] = Reach.PublicConsultation,
        [(Role.Auditor, DraftAction.Read)] = Reach.Everywhere,
        [(Role.Drafter, DraftAction.ExportEvidence)] = Reach.OwnCountry,
        [(Role.Editor, DraftAction.ExportEvidence)] = Reach.OwnCountry,
        [(Role.Approver, DraftAction.ExportEvidence)] = Reach.OwnCountry,
        [(Role.Auditor, DraftAction.ExportEvidence)] = Reach.Everywhere,
        [(Role.Drafter, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,
        [(Role.Editor, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,
        [(Role.EuExpert, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,
        [(Role.Auditor, DraftAction.BrowseGoodPractice)] = Reach.Everywhere,
        [(Role.Operator, DraftAction.ReadOperations)] = Reach.Everywhere,
        [(Role.Auditor, DraftAction.ReadOperations)] = Reach.Everywhere,
    };

    public enum Situation { PrivateDrafting, SharedWithReviewers, PublicConsultation }

    private const string DraftCountry = "KZ";
    private const string OtherCountry = "KG";

    private sealed record Caller(Role Role, string Country, Person Person)
    {
        public bool OwnCountry => Country == DraftCountry;
        public override string ToString() => $"{Role} of {(OwnCountry ? "the draft's country" : "another country")}";
    }

    private sealed record Case(string Target, DraftAction? Action, Caller Caller, Situation Situation, bool AboutOneDraft);

    [Fact]
    public void The_policy_table_is_the_domain_role_table()
    {
        var differences = Enum.GetValues<Role>()
            .SelectMany(role => Enum.GetValues<DraftAction>().Select(action => (role, action)))
            .Where(key => AccessPolicy.ReachOf(key.role, key.action) != DomainRoleTable.GetValueOrDefault(key, Reach.Nowhere))
            .Select(key => $"{key.role} × {key.action}: server says {AccessPolicy.ReachOf(key.role, key.action)}, " +
                           $"the domain says {DomainRoleTable.GetValueOrDefault(key, Reach.Nowhere)}")
            .ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void Every_api_endpoint_declares_who_may_call_it_and_has_a_sample_request()
    {
        var undeclared = ApiEndpoints().Where(e => !EndpointAccess.DeclaresAccess(e)).Select(Key).ToList();
        Assert.True(undeclared.Count == 0, "Endpoints without .Requires(...) or .OpenToAnySignedInUser(...): " + string.Join(", ", undeclared));

        var uncatalogued = ApiEndpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(Key).Where(k => !EndpointCatalogue.Http.ContainsKey(k)).ToList();
        Assert.True(uncatalogued.Count == 0, "Add a sample request to EndpointCatalogue.Http for: " + string.Join(", ", uncatalogued));

        var hubMethods = HubMethods().ToList();
        var undeclaredHub = hubMethods.Where(m => m.Method.GetCustomAttribute<RequiresDraftActionAttribute>() is null).Select(m => m.Key).ToList();
        Assert.True(undeclaredHub.Count == 0, "Hub methods without [RequiresDraftAction]: " + string.Join(", ", undeclaredHub));
        var uncataloguedHub = hubMethods.Select(m => m.Key).Where(k => !EndpointCatalogue.Hub.ContainsKey(k)).ToList();
        Assert.True(uncataloguedHub.Count == 0, "Add the arguments to EndpointCatalogue.Hub for: " + string.Join(", ", uncataloguedHub));
    }

    [Fact]
    public async Task Nobody_signed_out_gets_past_the_door_of_any_api_endpoint()
    {
        var anonymous = app.Anonymous();
        var draftId = await DraftIn(Situation.PublicConsultation);
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var response = await Send(anonymous, Method(endpoint), EndpointCatalogue.Http[Key(endpoint)](draftId));
            if (response.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{Key(endpoint)}: {(int)response.StatusCode}");
        }
        foreach (var (hubPath, method, _, key) in HubMethods())
        {
            var (status, _) = await anonymous.InvokesHub(app, hubPath, method.Name, EndpointCatalogue.Hub[key](draftId));
            if (status != 401) failures.Add($"{key}: {status}");
        }
        Assert.True(failures.Count == 0, "Answered a caller without a token: " + string.Join(", ", failures));
    }

    [Fact]
    public async Task Every_endpoint_and_hub_method_answers_each_role_in_each_country_as_the_table_says()
    {
        var callers = Enum.GetValues<Role>()
            .SelectMany(role => new[] { DraftCountry, OtherCountry }.Select(country => new Caller(role, country, app.PersonWith(role, country))))
            .ToList();
        var drafts = new Dictionary<Situation, Guid>();
        foreach (var situation in Enum.GetValues<Situation>()) drafts[situation] = await DraftIn(situation);

        var cases = new List<Case>();
        foreach (var endpoint in ApiEndpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var action = endpoint.Metadata.GetMetadata<RequiresDraftActionAttribute>()?.Action;
            var aboutOneDraft = endpoint.RoutePattern.Parameters.Any(p => p.Name == "draftId");
            // Creating a draft or listing is about no existing draft: one situation is enough.
            var situations = aboutOneDraft ? Enum.GetValues<Situation>() : [Situation.PrivateDrafting];
            cases.AddRange(from caller in callers from situation in situations
                           select new Case(Key(endpoint), action, caller, situation, aboutOneDraft));
        }

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var gate = new SemaphoreSlim(8);
        async Task Run(Case c, Guid draftId)
        {
            await gate.WaitAsync();
            try
            {
                var endpoint = ApiEndpoints().Single(e => Key(e) == c.Target);
                var response = await Send(c.Caller.Person, Method(endpoint), EndpointCatalogue.Http[c.Target](draftId));
                if (await Judge(c, (int)response.StatusCode, await IsHiddenDraft(response)) is { } failure)
                    failures.Add($"{failure}: {await response.Content.ReadAsStringAsync()}");
            }
            finally { gate.Release(); }
        }

        // Calls that would move a shared draft to another situation come last, and the allowed ones get a draft of their own.
        var (moving, still) = (cases.Where(c => EndpointCatalogue.ChangesSituation.Contains(c.Target)).ToList(),
            cases.Where(c => !EndpointCatalogue.ChangesSituation.Contains(c.Target)).ToList());
        await Task.WhenAll(still.Select(c => Run(c, drafts[c.Situation])));
        await Task.WhenAll(moving.Select(async c => await Run(c, Expected(c) ? await DraftIn(c.Situation) : drafts[c.Situation])));

        var hubCases = 0;
        foreach (var (hubPath, method, action, key) in HubMethods())
            foreach (var caller in callers)
                foreach (var situation in Enum.GetValues<Situation>())
                {
                    hubCases++;
                    var c = new Case(key, action, caller, situation, AboutOneDraft: true);
                    var (status, error) = await caller.Person.InvokesHub(app, hubPath, method.Name, EndpointCatalogue.Hub[key](drafts[situation]));
                    if (await Judge(c, status, status == 404 && error?.Contains(HiddenDraftDetail) == true) is { } failure)
                        failures.Add($"{failure}: {error}");
                }

        Assert.True(cases.Count + hubCases > 1000, $"Only {cases.Count + hubCases} combinations were checked");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count + hubCases} combinations disagree with the role table:\n" +
                                      string.Join("\n", failures.Order().Take(40)));
    }

    /// <summary>What the table allows, worked out from the domain's table and the draft's situation.</summary>
    private static bool Expected(Case c) => c.Action is not { } action || Allows(c.Caller, action, c.Situation, c.AboutOneDraft);

    private static bool Allows(Caller caller, DraftAction action, Situation situation, bool aboutOneDraft) =>
        DomainRoleTable.GetValueOrDefault((caller.Role, action), Reach.Nowhere) switch
        {
            Reach.Everywhere => true,
            Reach.OwnCountry => caller.OwnCountry,
            // A new draft is shared with nobody; the two consultation situations are open rounds, so reading and writing agree.
            Reach.SharedForConsultation => aboutOneDraft && situation != Situation.PrivateDrafting,
            Reach.PublicConsultation => aboutOneDraft && situation == Situation.PublicConsultation,
            _ => false,
        };

    private static Task<string?> Judge(Case c, int status, bool hidden)
    {
        var who = $"{c.Target} by {c.Caller} on a draft in {c.Situation}";
        string? failure;
        if (Expected(c))
            failure = status is 401 or 403 || hidden || status >= 500 ? $"{who}: allowed by the table but answered {status}" : null;
        else if (!c.AboutOneDraft || Allows(c.Caller, DraftAction.Read, c.Situation, true))
            failure = status == 403 ? null : $"{who}: forbidden by the table (may read) but answered {status}, not 403";
        else
            failure = hidden ? null : $"{who}: the draft is invisible to them by the table but they got {status}, not the 404 of a missing draft";
        return Task.FromResult(failure);
    }

    private async Task<Guid> DraftIn(Situation situation)
    {
        var editor = await Person.SignIn(app, "kz-editor");
        var draftId = await editor.CreatesDraft(DraftCountry, title: $"Access matrix: {situation}");
        if (situation != Situation.PrivateDrafting) await editor.OpensRound(draftId, isPublic: situation == Situation.PublicConsultation);
        return draftId;
    }

    private static async Task<HttpResponseMessage> Send(Person person, string method, SampleRequest sample)
    {
        if (method == "GET") return await person.Http.GetAsync(sample.Url);
        return await person.Command(sample.Url, sample.Body);
    }

    private IEnumerable<RouteEndpoint> ApiEndpoints() =>
        app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/") == true);

    private static string Method(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Single() ?? "GET";

    private static string Key(Endpoint endpoint) => $"{Method((RouteEndpoint)endpoint)} {((RouteEndpoint)endpoint).RoutePattern.RawText}";

    /// <summary>Every public method of every hub the server maps, with the path it is mapped at.</summary>
    private IEnumerable<(string HubPath, MethodInfo Method, DraftAction? Action, string Key)> HubMethods()
    {
        var hubs = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HubMetadata>() is not null && e.RoutePattern.RawText?.EndsWith("/negotiate") == false)
            .Select(e => (Type: e.Metadata.GetMetadata<HubMetadata>()!.HubType, Path: e.RoutePattern.RawText!))
            .DistinctBy(h => h.Type);
        foreach (var (type, path) in hubs)
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                         .Where(m => !m.IsSpecialName && m.Name is not ("OnConnectedAsync" or "OnDisconnectedAsync" or "Dispose")))
                yield return (path, method, method.GetCustomAttribute<RequiresDraftActionAttribute>()?.Action, $"{type.Name}.{method.Name}");
    }

    private static Task<bool> IsHiddenDraft(HttpResponseMessage response) => AccessVocabulary.IsHiddenDraft(response);

    private const string HiddenDraftDetail = AccessVocabulary.HiddenDraftDetail;
}
