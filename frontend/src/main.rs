use callout_frontend::app::App;

fn main() {
    // Readable panic messages in the browser console while developing; the release bundle leaves the
    // hook and its formatting code out (a panic there still stops the app with a wasm trap).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
