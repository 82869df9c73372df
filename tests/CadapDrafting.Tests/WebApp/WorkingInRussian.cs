using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CadapDrafting.Tests.WebApp;

/// <summary>
/// The Russian interface through a working session: every word the person reads is Russian, refusals included, and
/// shown next to what they clicked; hostile and very long input stays text and never widens the page.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WorkingInRussian(LiveServer server, Chromium chromium)
{
    [Fact]
    public async Task A_lead_drafter_works_in_Russian_and_every_refusal_is_Russian_and_beside_its_control()
    {
        const string story = "working-in-russian";
        await using var lead = await chromium.OpensTheAppAs(server, "uz-editor", story);
        var page = lead.Page;
        await page.GetByLabel("Interface language").SelectOptionAsync("ru");
        await lead.Sees(page.GetByRole(AriaRole.Heading, new() { Name = "Проекты" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Новый проект" }).ClickAsync();
        var dialog = lead.Dialog();
        await dialog.GetByLabel("Вид").SelectOptionAsync(new SelectOptionValue { Label = "План действий" });
        await dialog.GetByLabel("Название (RU)").FillAsync("План на 2026–2030 годы");
        await dialog.GetByLabel(new Regex("^Обычные части")).CheckAsync();
        await lead.Screenshot("starts-a-draft-in-russian");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Создать проект" }).ClickAsync();
        await lead.Sees(page.GetByTestId("live-status")).ToHaveTextAsync("В сети");
        await lead.Sees(lead.Node("Глава 2")).ToContainTextAsync("Сокращение спроса");

        // Structure moves by keyboard as well as by dragging: the last chapter goes up one place and is renumbered.
        await lead.Node("Глава 4").GetByRole(AriaRole.Button, new() { Name = "Выше: Глава 4" }).ClickAsync();
        await lead.Sees(lead.Node("Глава 3")).ToContainTextAsync("Мониторинг и оценка");
        await lead.Sees(lead.Node("Глава 4")).ToContainTextAsync("Сокращение предложения");

        var chapter = lead.Node("Глава 2");
        await chapter.GetByRole(AriaRole.Button, new() { Name = "Предложить новый элемент после Глава 2" }).ClickAsync();
        await chapter.GetByLabel("Вид элемента").SelectOptionAsync("Action");
        await chapter.GetByLabel("Текст нового элемента (RU)").FillAsync("Программы профилактики в школах");
        await chapter.GetByLabel("Обоснование").FillAsync("Решение рабочей группы");
        await chapter.GetByRole(AriaRole.Button, new() { Name = "Отправить предложение" }).ClickAsync();
        var action = lead.Node("Мероприятие 1");
        await lead.Sees(action).ToContainTextAsync("Программы профилактики в школах");

        // A wrong field in the record is marked at the field, in Russian, before anything is sent.
        await action.GetByRole(AriaRole.Button, new() { Name = "Изменить карточку Мероприятие 1" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Карточка Мероприятие 1" });
        await form.GetByLabel("Сумма", new() { Exact = true }).FillAsync("500000");
        await form.GetByLabel("Валюта", new() { Exact = true }).FillAsync("сум");
        await form.GetByLabel("Обоснование", new() { Exact = true }).FillAsync("Смета министерства");
        await form.GetByRole(AriaRole.Button, new() { Name = "Сохранить карточку" }).ClickAsync();
        var currency = form.GetByLabel("Валюта", new() { Exact = true });
        await lead.Sees(currency).ToHaveAttributeAsync("aria-invalid", "true");
        await lead.Sees(form.Locator("[data-field='budget.currency'] ~ .field-error, .field-error").Filter(new()
        {
            HasText = "Три заглавные буквы"
        }).First).ToBeVisibleAsync();
        await lead.Screenshot("the-currency-is-marked-at-its-field");
        await currency.FillAsync("UZS");
        await form.GetByRole(AriaRole.Button, new() { Name = "Сохранить карточку" }).ClickAsync();
        await lead.Sees(action).ToContainTextAsync(new Regex(@"500\s000 UZS"));

        // The server refuses a mention of nobody: the refusal is Russian and sits under the comment being written.
        await action.GetByRole(AriaRole.Button, new() { Name = "Комментировать: Мероприятие 1" }).ClickAsync();
        var comment = page.GetByRole(AriaRole.Form, new() { Name = "Комментировать: Мероприятие 1" });
        await comment.GetByRole(AriaRole.Textbox, new() { Name = "Комментарий", Exact = true }).FillAsync("Уточнить у @nobody-here");
        await comment.GetByRole(AriaRole.Button, new() { Name = "Отправить" }).ClickAsync();
        var refusal = comment.GetByRole(AriaRole.Alert);
        await lead.Sees(refusal).ToContainTextAsync("Некоторые поля нужно исправить.");
        await lead.Sees(refusal).Not.ToContainTextAsync("No such user");
        await lead.Screenshot("a-refused-comment-says-why-in-russian-beside-the-form");

        // Hostile and very long input: text, not markup, and the page keeps its width.
        var hostile = "<img src=x onerror=alert(1)><script>alert(2)</script> " + new string('Ж', 7_000);
        await comment.GetByRole(AriaRole.Textbox, new() { Name = "Комментарий", Exact = true }).FillAsync(hostile);
        await lead.Sees(comment.Locator(".char-counter")).ToContainTextAsync("из 8000 символов");
        await comment.GetByRole(AriaRole.Button, new() { Name = "Отправить" }).ClickAsync();
        await lead.Sees(action.Locator(".comment .text")).ToContainTextAsync("<script>alert(2)</script>");
        await lead.Sees(page.Locator(".comment img")).ToHaveCountAsync(0);
        await lead.SeesNoHorizontalOverflow();
        await lead.Screenshot("a-7000-character-word-wraps");

        // Review cannot start without an approval policy: said beside the button, in Russian.
        await page.GetByRole(AriaRole.Button, new() { Name = "Начать согласование…" }).ClickAsync();
        await lead.Sees(lead.Panel("Этапы и утверждение").GetByRole(AriaRole.Alert)).ToContainTextAsync("Сначала задайте порядок утверждения.");
        await lead.Screenshot("review-needs-a-policy-first");
    }
}
