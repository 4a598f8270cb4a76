use wasm_bindgen::JsCast as _;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The narrowest and widest a chart is drawn, in CSS pixels.
const CHART_WIDTHS: (f64, f64) = (260.0, 1600.0);

/// The width a chart inside the element behind `node` is drawn at: the element's, within
/// [`CHART_WIDTHS`]. Every chart draws at its real width so that its labels keep their size,
/// neither shrinking on a phone nor swelling on a wide screen.
#[hook]
pub fn use_chart_width(node: NodeRef) -> f64 {
    crate::charts::within(use_width(node, 640.0), CHART_WIDTHS.0, CHART_WIDTHS.1)
}

/// The width in CSS pixels of the element behind `node`, kept current as the window resizes;
/// `fallback` until it is first measured. Charts draw at this width, so that their labels
/// keep their size on a phone instead of shrinking with a scaled-down drawing.
#[hook]
pub fn use_width(node: NodeRef, fallback: f64) -> f64 {
    let width = use_state(|| fallback);
    {
        let width = width.clone();
        use_effect_with(node, move |node| {
            let node = node.clone();
            let measure = move || {
                if let Some(element) = node.cast::<web_sys::Element>() {
                    let measured = f64::from(element.client_width());
                    if measured > 0.0 {
                        width.set(measured);
                    }
                }
            };
            measure();
            let on_resize = Closure::<dyn Fn()>::new(measure);
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window
                    .add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "resize",
                        on_resize.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    *width
}
