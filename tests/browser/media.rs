//! The media library: three files uploaded at once with a progress bar
//! each, found by name, a focal point set that moves a variant's crop, a
//! file picked by name in an entry and one uploaded from the entry's form,
//! and a deletion that names the entries still using the file.

use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_tests::images::png_of;
use fantoccini::Locator;
use image::{Rgb, RgbImage};

use super::*;

const EMAIL: &str = "curator@example.com";
const PASSWORD: &str = "correct horse battery";

/// A wide picture, red on its left fifth and blue elsewhere: a square crop
/// around its centre is blue, one kept at its left edge is red.
fn banner() -> Vec<u8> {
    png_of(RgbImage::from_fn(200, 50, |x, _| {
        if x < 40 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    }))
}

/// The colour at the centre of an image.
fn centre(bytes: &[u8]) -> Rgb<u8> {
    let picture = image::load_from_memory(bytes).expect("a picture").to_rgb8();
    *picture.get_pixel(picture.width() / 2, picture.height() / 2)
}

browser_tests! {
    async fn files_are_uploaded_with_progress_found_cropped_and_deleted(page, client) {
        page.app.apply_fixture("kitchen").await;
        let curator = NewAdmin { email: EMAIL.to_owned(), password: PASSWORD.to_owned(), firstname: "Cora".to_owned(), lastname: "Curator".to_owned() };
        admin_users::create(page.app.context.db().conn(), &curator).await?;
        let folder = tempfile::tempdir()?;
        let mut paths = Vec::new();
        for (name, bytes) in [("banner.png", banner()), ("second.png", cairn_tests::images::png_with_alpha(30, 20)), ("third.png", cairn_tests::images::png_with_alpha(20, 30))] {
            let path = folder.path().join(name);
            std::fs::write(&path, bytes)?;
            paths.push(path.display().to_string());
        }

        page.sign_in(EMAIL, PASSWORD).await?;
        page.submit("nav-media").await?;
        page.find("empty-media").await?;
        page.accessible().await?;

        // Three files at once: a progress bar each, then a link to them.
        page.find("upload-files").await?.send_keys(&paths.join("\n")).await?;
        page.fill("upload-folder", "/kitchen").await?;
        page.click("upload-submit").await?;
        let done = page.find("upload-done").await?;
        assert_eq!(done.text().await?, "3 of 3 uploaded. Show the library");
        let bars = client.find_all(Locator::Css("#upload-progress li.done progress")).await?;
        assert_eq!(bars.len(), 3);
        for bar in bars {
            assert_eq!(bar.attr("value").await?.as_deref(), Some("100"));
        }
        page.shot("media-upload").await?;
        page.leave(done).await?;
        assert_eq!(client.find_all(Locator::Css("#files li.media-card")).await?.len(), 3);
        page.shot("media-library").await?;
        page.accessible().await?;
        page.fill("media-search", "BANNER").await?;
        page.submit("media-search-submit").await?;
        let found = client.find_all(Locator::Css("#files li.media-card")).await?;
        assert_eq!(found.len(), 1);
        page.submit("view-list").await?;
        assert!(page.text("files").await?.contains("/kitchen"));

        // The focal point moves the crop of a variant.
        let files = page.app.context.files().list().await?;
        let banner = files.iter().find(|f| f["name"] == "banner.png").expect("the banner");
        let id = banner["id"].as_i64().unwrap_or_default();
        let variant = format!("{}{}?w=64&h=64&fit=cover&fm=png", page.base, banner["url"].as_str().unwrap_or_default());
        let before = reqwest::get(&variant).await?.bytes().await?;
        assert_eq!(centre(&before), Rgb([20, 20, 220]), "centred: blue");
        page.open(&format!("/admin/media/{id}")).await?;
        page.accessible().await?;
        page.fill("field-focal_x", "0.05").await?;
        page.fill("field-alternativeText", "A red and blue banner").await?;
        page.submit("save-file").await?;
        assert!(page.text("flash").await?.contains("Saved"));
        let after = reqwest::get(&variant).await?.bytes().await?;
        assert_eq!(centre(&after), Rgb([220, 20, 20]), "kept at the left: red");
        page.shot("media-file").await?;
        // Clicking the picture sets the point where it was clicked (its middle).
        page.submit("focal-image").await?;
        let moved = page.app.context.files().find(id).await?;
        let x = moved["focalPoint"]["x"].as_f64().unwrap_or_default();
        assert!((x - 0.5).abs() < 0.05, "{x}");
        assert_eq!(moved["alternativeText"], "A red and blue banner");

        // Picked by name in an entry's media field.
        page.open("/admin/content/api::recipe.recipe/new").await?;
        page.fill("field-title", "Tomato salad").await?;
        page.fill("field-photo-add", "banner.png").await?;
        page.submit("save-entry").await?;
        assert!(page.text("field-photo-wrap").await?.contains("banner.png"));

        // Or uploaded from the entry's form itself, linked at once.
        page.open("/admin/content/api::recipe.recipe/new").await?;
        page.fill("field-title", "Green salad").await?;
        page.find("field-photo-upload").await?.send_keys(&paths[2]).await?;
        page.wait_text("field-photo-wrap", "saved with the entry").await?;
        page.submit("save-entry").await?;
        assert!(page.text("flash").await?.contains("Saved"));
        assert!(page.text("field-photo-wrap").await?.contains("third.png"));

        // Deleting names the entries that use it.
        page.open(&format!("/admin/media/{id}")).await?;
        page.submit("delete-file").await?;
        assert!(page.text("file-uses").await?.contains("Recipe"));
        page.accessible().await?;
        page.submit("delete-confirmed").await?;
        assert!(page.text("flash").await?.contains("Deleted banner.png"));
        assert_eq!(reqwest::get(&variant).await?.status(), 404);
    }
}
