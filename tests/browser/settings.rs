//! Settings: an API token created, shown once, used, and revoked; an
//! administrator added and deactivated; a locale added; the public role
//! granted a read.

use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_tests::data;

use super::*;

const EMAIL: &str = "owner@example.com";
const PASSWORD: &str = "correct horse battery";

browser_tests! {
    async fn settings_manage_tokens_administrators_locales_and_public_access(page, client) {
        page.app.apply_fixture("kitchen").await;
        let owner = NewAdmin { email: EMAIL.to_owned(), password: PASSWORD.to_owned(), firstname: "Olive".to_owned(), lastname: "Owner".to_owned() };
        admin_users::create(page.app.context.db().conn(), &owner).await?;
        page.app.context.entries("cuisine")?.create(&data!({"name": "Thai"}), &Default::default()).await?;
        let server = reqwest::Client::new();
        let read = |token: Option<String>| {
            let mut request = server.get(format!("{}/api/cuisines", page.base));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };

        page.sign_in(EMAIL, PASSWORD).await?;
        page.submit("nav-settings").await?;
        page.accessible().await?;

        // A token: shown once, read with, revoked, refused.
        page.submit("settings-tokens").await?;
        page.find("no-tokens").await?;
        page.fill("field-name", "Mobile app").await?;
        page.select("field-duration", "30d").await?;
        page.submit("create-token").await?;
        let secret = page.value("token-secret").await?;
        assert!(secret.starts_with("cairn_"), "{secret}");
        page.shot("tokens").await?;
        page.accessible().await?;
        assert_eq!(read(Some(secret.clone())).await?.status(), 200);
        page.open("/admin/settings/tokens").await?;
        assert!(client.find(fantoccini::Locator::Id("token-secret")).await.is_err(), "shown once");
        assert!(!page.text("token-Mobile app").await?.contains("never\nnever"), "expiry shown");
        page.submit_confirmed("revoke-Mobile app").await?;
        assert!(page.text("flash").await?.contains("revoked"));
        assert_eq!(read(Some(secret)).await?.status(), 401);

        // Public access: nothing until granted.
        assert_eq!(read(None).await?.status(), 403);
        page.submit("settings-public").await?;
        page.accessible().await?;
        page.click("grant-api::cuisine.cuisine-find").await?;
        page.submit("save-permissions").await?;
        assert!(page.text("flash").await?.contains("Saved"));
        assert_eq!(read(None).await?.status(), 200);

        // An administrator added, then deactivated: they cannot sign in.
        page.submit("settings-administrators").await?;
        page.accessible().await?;
        page.fill("field-email", "not an email").await?;
        page.fill("field-password", "short").await?;
        page.submit("create-administrator").await?;
        assert!(page.text("field-email-error").await?.contains("email"));
        assert!(page.text("field-password-error").await?.contains("at least"));
        page.fill("field-firstname", "Sam").await?;
        page.fill("field-email", "sam@example.com").await?;
        page.fill("field-password", "another long password").await?;
        page.submit("create-administrator").await?;
        assert!(page.text("flash").await?.contains("sam@example.com"));
        let sam = admin_users::list(page.app.context.db().conn()).await?.into_iter().find(|u| u.email == "sam@example.com").expect("sam");
        page.submit(&format!("toggle-{}", sam.id)).await?;
        assert!(page.text("flash").await?.contains("deactivated"));
        assert!(admin_users::authenticate(page.app.context.db().conn(), "sam@example.com", "another long password").await.is_err());

        // A locale added and made the default.
        page.submit("settings-locales").await?;
        page.accessible().await?;
        page.fill("field-code", "fr").await?;
        page.fill("field-name", "French (fr)").await?;
        page.submit("create-locale").await?;
        assert!(page.text("locale-fr").await?.contains("French"));
        page.submit("default-fr").await?;
        assert!(page.text("locale-fr").await?.contains("default"));
    }
}
