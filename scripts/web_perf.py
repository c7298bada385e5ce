#!/usr/bin/python3
"""Speed of the browser build, measured inside the page in headless Chromium (WebGL2 on
SwiftShader). Prints figures; it is not a timed test.

Usage: scripts/web_perf.py [SITE_DIR] [NATIVE_BINARY]   (defaults: build-web/site, build/app/im2col-lab)
"""
import gzip
import json
import os
import platform
import re
import socket
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build-web", "site"))
NATIVE = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build", "app", "im2col-lab"))
PLAY_SECONDS = 3.5  # the page keeps its last 240 frames: under 4 s at 60 a second
FLAGS = ["--headless=new", "--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
         "--disable-background-networking", "--disable-dev-shm-usage", "--window-size=1600,900"]


def frame_figures(stats, seconds):
    # Frames per second too: a frame that stops waiting for the GPU process must not hide
    # that the drawing still has to happen (fewer frames a second would show it).
    text = (f"{stats['median_ms']:.1f} / {stats['p95_ms']:.1f} ms over {stats['frames']} frames "
            f"({stats['frames'] / seconds:.0f} a second); "
            f"{stats['median_ui_ms']:.1f}, {stats['median_gl_ms']:.1f} ms")
    if "drawn_share" in stats:  # builds that redraw only what changed
        text += f"; {stats['drawn_share'] * 100:.0f}% of the canvas pixels redrawn"
    return text


def main():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=SITE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    js = driver.execute_script
    figures = []

    def load(hash_part):
        driver.get("about:blank")
        driver.get(f"http://127.0.0.1:{port}/{hash_part}")
        while not js("return window.im2colLab && window.im2colLab.ready"):
            time.sleep(0.05)
        while js("return window.im2colLab.state().pending"):
            time.sleep(0.05)

    def play_and_measure(seconds=PLAY_SECONDS):
        ActionChains(driver).key_down(Keys.SPACE).pause(0.1).key_up(Keys.SPACE).perform()
        time.sleep(0.5)
        js("window.im2colLab.stats(true)")
        time.sleep(seconds)
        stats = js("return window.im2colLab.stats(false)")
        ActionChains(driver).key_down(Keys.SPACE).pause(0.1).key_up(Keys.SPACE).perform()
        return stats

    try:
        load("#preset=chapter-4x4x3")
        ready = js("return window.im2colLab.readyAt")
        figures.append(("time to ready (navigation to first scenario), chapter example", f"{ready:.0f} ms"))
        stats = play_and_measure()
        figures.append(("frame cost while playing, chapter example (median / p95; median of ImGui + frame code, "
                        "of GL drawing)", frame_figures(stats, PLAY_SECONDS)))

        start = time.time()
        load("#preset=alexnet-conv1&step=40")
        figures.append(("time to ready + AlexNet conv1 computed (wall, from the test driver)",
                        f"{(time.time() - start) * 1000:.0f} ms"))
        stats = play_and_measure()
        figures.append(("frame cost while playing, AlexNet conv1 (median / p95; median of ImGui + frame code, "
                        "of GL drawing)", frame_figures(stats, PLAY_SECONDS)))
        # A slider step at AlexNet size: the kernel + button, i.e. one recompute.
        layout = driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; window.im2colLab.layout().then(done);")
        item = next(i for i in layout["items"] if i["id"] == "control:filters +")
        canvas = driver.find_element(By.ID, "canvas")
        # The browser's own view of blocking, whatever the build reports: tasks of 50 ms or more.
        js("window.longestTask = 0; new PerformanceObserver(list => { for (const e of list.getEntries()) "
           "window.longestTask = Math.max(window.longestTask, e.duration); }).observe({type: 'longtask'});")
        js("window.im2colLab.stats(true)")
        clicked = time.time()
        ActionChains(driver).move_to_element_with_offset(
            canvas, int(item["x"] + item["w"] / 2 - canvas.size["width"] / 2),
            int(item["y"] + item["h"] / 2 - canvas.size["height"] / 2)).click().perform()
        while js("return window.im2colLab.state().shape.filters") != 97:
            time.sleep(0.02)
        while js("return window.im2colLab.state().pending"):
            time.sleep(0.02)
        shown = time.time() - clicked
        time.sleep(0.5)
        stats = js("return window.im2colLab.stats(false)")
        long_task = js("return window.longestTask")
        # The page's longest frame while it recomputed: how long the page was blocked at once
        # (older builds did not report it: their p95 stands in).
        longest = stats.get("max_ms", stats["p95_ms"])
        parts = f", longest compute part {stats['max_part_ms']:.0f} ms" if "max_part_ms" in stats else ""
        if "max_frame_split" in stats:
            parts += "; the longest frame: " + ", ".join(f"{k} {v:.0f}" for k, v in stats["max_frame_split"].items())
        figures.append(("a shape change at AlexNet size (filters 96 -> 97): longest frame; longest task the "
                        "browser saw (its long tasks are >= 50 ms); recompute in the frame of the edit",
                        f"{longest:.0f} ms; {long_task:.0f} ms; {stats['max_apply_ms']:.0f} ms{parts}; shown "
                        f"{shown * 1000:.0f} ms after the click (wall, from the test driver)"
                        + (f"; in the page, the edit's frame to its result drawn: {stats['last_edit_shown_ms']:.0f} ms"
                           if "last_edit_shown_ms" in stats else "")))
        load("#preset=alexnet-conv1")
        page = js("return window.im2colLab.bench(3)")
    finally:
        driver.quit()
        server.terminate()
        server.wait()

    native = ""
    if os.path.exists(NATIVE):
        native = subprocess.run([NATIVE, "bench", "--preset", "alexnet-conv1", "--threads", "1", "--repeat", "3"],
                                capture_output=True, text=True, check=True).stdout
    else:
        print(f"(no native binary at {NATIVE}: no page-vs-native comparison)")
    native_ms = {}
    for line in native.splitlines():
        m = re.match(r"^(\S+)\s+([\d.]+) (ms|us)\b", line)
        if m:
            native_ms[m.group(1)] = float(m.group(2)) / (1000.0 if m.group(3) == "us" else 1.0)
    for name in ["loops-forward", "im2col-gemm-forward", "loops-backward", "im2col-gemm-backward"]:
        if name in page and name in native_ms:
            figures.append((f"AlexNet conv1 {name}, page vs native (1 thread)",
                            f"{page[name]:.1f} ms vs {native_ms[name]:.1f} ms ({page[name] / native_ms[name]:.1f}x)"))
    wasm = open(os.path.join(SITE, "app.wasm"), "rb").read()
    figures.append(("app.wasm size (raw / gzip -9)",
                    f"{len(wasm) / 1e6:.2f} MB / {len(gzip.compress(wasm, 9)) / 1e6:.2f} MB"))
    figures.append(("page GEMM", page.get("gemm_backend", "?") + "; native: " +
                    next((l.split("GEMM by ")[1] for l in native.splitlines() if "GEMM by " in l), "?")))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"browser: {chromium}, headless, WebGL2 on SwiftShader")
    for name, value in figures:
        print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
