#!/usr/bin/python3
"""Browser tests of the WebAssembly build, in headless Chromium (WebGL2 on SwiftShader).

Usage: tests/web/web_test.py SITE_DIR NATIVE_BINARY [--screenshot PNG]
Serves SITE_DIR (scripts/web.sh's build-web/site) on 127.0.0.1, drives the page through
its test hook window.im2colLab and real input (keys, clicks, the file picker), and
compares the page's layout with `NATIVE_BINARY render --layout-json` at the same size.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

SITE = NATIVE = SCREENSHOT = None
CHAPTER = {"batch": 1, "channels": 3, "height": 4, "width": 4, "filters": 1, "kernel": 2, "stride": 1,
           "padding": 0, "dilation": 1}
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader",
                  "--enable-unsafe-swiftshader", "--disable-background-networking", "--disable-dev-shm-usage",
                  "--disable-extensions", "--disable-sync", "--no-first-run", "--mute-audio",
                  "--window-size=1600,1200"]  # tall enough for the SHAPE panel's K and S rows


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_driver(download_dir):
    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


class WebTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.server = subprocess.Popen([sys.executable, "-m", "http.server", str(cls.port), "--bind", "127.0.0.1"],
                                      cwd=SITE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.downloads = tempfile.mkdtemp(prefix="im2col-web-")
        cls.driver = make_driver(cls.downloads)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.terminate()
        cls.server.wait()
        shutil.rmtree(cls.downloads, ignore_errors=True)

    # ---- helpers ----
    def open(self, hash_part=""):
        # A fresh document each time (a changed hash alone would not reload the page).
        self.driver.get("about:blank")
        self.driver.get(f"http://127.0.0.1:{self.port}/{hash_part}")
        self.wait_for(lambda: self.driver.execute_script(
            "return window.im2colLab && (window.im2colLab.ready || window.im2colLab.error)"), 60, "page ready")
        self.assertEqual(self.driver.execute_script("return window.im2colLab.error"), "")
        self.wait_for(lambda: not self.state()["pending"], 30, "first scenario computed")

    def state(self):
        return self.driver.execute_script("return window.im2colLab.state()")

    def layout(self):
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; window.im2colLab.layout().then(done);")

    def wait_for(self, condition, seconds, what):
        end = time.time() + seconds
        while time.time() < end:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        self.fail(f"timed out waiting for: {what}")

    def click_item(self, item_id):
        layout = self.layout()
        items = {item["id"]: item for item in layout["items"]}
        if item_id not in items:
            self.fail(f"{item_id} not in the page's layout: " + ", ".join(i for i in items if ":" in i))
        item = items[item_id]
        canvas = self.driver.find_element(By.ID, "canvas")
        # Offsets from the canvas's centre (Selenium 4), in CSS pixels = framebuffer pixels here.
        x = item["x"] + item["w"] / 2 - canvas.size["width"] / 2
        y = item["y"] + item["h"] / 2 - canvas.size["height"] / 2
        ActionChains(self.driver).move_to_element_with_offset(canvas, int(x), int(y)).click().perform()

    def confirm_file_dialog(self, open_it):
        """Opens the path dialog with open_it() and presses its Save button once it is on screen.

        Waits for the dialog instead of sleeping a guessed time: under load a frame can take
        longer than any fixed sleep (CI once pressed Enter before the dialog had appeared)."""
        open_it()
        def dialog_shown():
            return any(i["id"] == "control:file-confirm" for i in self.layout()["items"])
        end = time.time() + 10
        while not dialog_shown():
            if time.time() > end:
                self.fail("the path dialog did not open")
            time.sleep(0.2)
        self.click_item("control:file-confirm")

    def press(self, key):
        # Held over a few frames, as a hand does: ImGui 1.86 reads key state once a frame.
        ActionChains(self.driver).key_down(key).pause(0.1).key_up(key).perform()

    # ---- tests ----
    def test_1_opens_on_the_chapter_example(self):
        self.open()
        state = self.state()
        self.assertEqual(state["shape"], CHAPTER)
        self.assertEqual(state["step"], 0)
        self.assertGreater(state["steps"], 100)
        self.assertEqual(state["phase"], "extract")
        if SCREENSHOT:
            time.sleep(0.5)
            self.driver.save_screenshot(SCREENSHOT)

    def test_2_space_plays(self):
        self.open()
        self.press(Keys.SPACE)
        self.wait_for(lambda: self.state()["playing"], 5, "playback to start")
        self.wait_for(lambda: self.state()["step"] >= 2, 10, "playback to advance")
        self.press(Keys.SPACE)
        self.wait_for(lambda: not self.state()["playing"], 5, "playback to stop")
        stopped = self.state()["step"]
        time.sleep(0.5)
        self.assertEqual(self.state()["step"], stopped)

    def test_3_click_on_kernel_plus_changes_the_shape_and_the_hash(self):
        self.open()
        self.click_item("control:kernel +")
        self.wait_for(lambda: self.state()["shape"]["kernel"] == 3, 10, "kernel 3 after a click on +")
        self.wait_for(lambda: "kernel=3" in self.driver.execute_script("return location.hash"), 5,
                      "the address to follow the edit")
        # The page timed the edit from the frame that applied it to the frame that drew it.
        shown = self.wait_for(lambda: self.driver.execute_script(
            "return window.im2colLab.stats(false).last_edit_shown_ms"), 5, "the edit's time to be shown")
        self.assertGreater(shown, 0)

    def test_4_link_opens_its_scenario_and_step(self):
        self.open("#preset=padding1&kernel=3&step=12")
        state = self.state()
        self.assertEqual(state["preset"], "padding1")
        self.assertEqual(state["shape"]["kernel"], 3)
        self.assertEqual(state["shape"]["padding"], 1)
        self.wait_for(lambda: self.state()["step"] == 12, 5, "step 12 from the link")
        self.assertEqual(state["status"], "")

    def test_4b_editing_the_address_opens_that_view(self):
        self.open()
        self.driver.execute_script("location.hash = '#preset=stride2-no-overlap&step=7'")  # fires hashchange
        self.wait_for(lambda: self.state()["preset"] == "stride2-no-overlap", 10, "the edited address's preset")
        self.wait_for(lambda: self.state()["step"] == 7, 5, "its step")
        self.driver.execute_script("location.hash = '#padding=-1'")
        self.wait_for(lambda: "padding: must be >= 0" in self.state()["status"], 10, "the bad edit's message")
        self.wait_for(lambda: not self.state()["pending"], 5, "the fallback view applied (the next frame)")
        self.assertEqual(self.state()["shape"], CHAPTER)

    def test_5_hostile_hash_falls_back_with_a_message(self):
        for hostile, named in [("#kernel=0", "kernel: must be >= 1"), ("#colour=red", "unknown key 'colour'"),
                               ("#step=%ZZ", "step: bad %-encoding"),
                               ("#" + "kernel=3&" * 1200, "longer than 2048 bytes")]:
            self.open(hostile)
            state = self.state()
            self.assertEqual(state["shape"], CHAPTER, hostile[:40])
            self.assertTrue(state["status_is_error"], hostile[:40])
            self.assertIn(named, state["status"])

    def test_6_layout_matches_the_native_render(self):
        self.open("#preset=chapter-4x4x3&step=30")
        self.wait_for(lambda: self.state()["step"] == 30, 5, "step 30")
        page = self.layout()
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "native.json")
            command = [NATIVE, "render", "--preset", "chapter-4x4x3", "--step", "30",
                       "--size", f"{page['width']}x{page['height']}", "--out", os.path.join(tmp, "native.png"),
                       "--layout-json", out]
            if not os.environ.get("DISPLAY"):
                command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"] + command
            subprocess.run(command, check=True, timeout=120)
            with open(out) as f:
                native = json.load(f)
        ours = {item["id"]: item for item in page["items"]}
        theirs = {item["id"]: item for item in native["items"]}
        common = set(ours) & set(theirs)
        # The same frame code: the same items (text rasterised by stb_truetype instead of
        # FreeType may move a few by a pixel or two).
        self.assertGreater(len(common), 0.95 * len(theirs), sorted(set(theirs) - set(ours))[:10])
        far = [i for i in common
               if max(abs(ours[i][k] - theirs[i][k]) for k in ("x", "y", "w", "h")) > 4.0]
        self.assertLess(len(far), 0.02 * len(common), [(i, ours[i], theirs[i]) for i in far[:5]])

    def test_7_saved_scenario_downloads_and_opens_again(self):
        self.open()
        self.click_item("control:kernel +")
        self.wait_for(lambda: self.state()["shape"]["kernel"] == 3, 10, "kernel 3")
        for name in os.listdir(self.downloads):
            os.remove(os.path.join(self.downloads, name))
        # Ctrl+S held over a few frames opens the Save dialog (path "scenario.json"); its Save
        # button hands the file to the browser as a download.
        self.confirm_file_dialog(lambda: ActionChains(self.driver).key_down(Keys.CONTROL).key_down("s").pause(0.1)
                                 .key_up("s").key_up(Keys.CONTROL).perform())
        path = os.path.join(self.downloads, "scenario.json")
        self.wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0, 15, "the download")
        with open(path) as f:
            saved = json.load(f)
        self.assertEqual(saved["format"], "im2col-lab-scenario")
        self.assertEqual(saved["shape"]["kernel"], 3)
        self.open("#preset=chapter-4x4x3")
        self.assertEqual(self.state()["shape"]["kernel"], 2)
        self.driver.find_element(By.ID, "picker").send_keys(path)  # the Open file picker
        self.wait_for(lambda: self.state()["shape"]["kernel"] == 3, 10, "the saved scenario opened again")

    def test_7b_exported_png_downloads_with_the_page_pixels(self):
        self.open("#preset=chapter-4x4x3&step=60")
        self.wait_for(lambda: self.state()["step"] == 60, 5, "step 60")
        for name in os.listdir(self.downloads):
            os.remove(os.path.join(self.downloads, name))
        # The path dialog ("scenario.png"); Save draws the frame offscreen and downloads it.
        self.confirm_file_dialog(lambda: self.click_item("control:export-png"))
        path = os.path.join(self.downloads, "scenario.png")
        self.wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 1000, 20, "the PNG download")
        time.sleep(0.5)
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        self.assertEqual((width, height), (self.layout()["width"], self.layout()["height"]))
        # Not a blank image: the frame's pixels compress far less than one colour would.
        self.assertGreater(len(data), 20000)

    def test_8_copy_link_gives_the_page_address_with_the_view(self):
        self.open("#preset=padding1&step=5")
        self.wait_for(lambda: self.state()["step"] == 5, 5, "step 5")
        self.click_item("control:stride +")
        self.wait_for(lambda: self.state()["shape"]["stride"] == 2, 10, "stride 2")
        self.wait_for(lambda: "stride=2" in self.driver.execute_script("return location.hash"), 5, "hash")
        self.click_item("control:more")
        time.sleep(0.3)
        self.click_item("control:copy-link")
        copied = self.wait_for(lambda: self.driver.execute_script("return window.im2colLab.copied"), 5, "copy")
        self.assertEqual(copied, self.driver.execute_script("return location.href"))
        self.assertIn("preset=padding1", copied)
        self.open(copied.split("/", 3)[3])  # the copied address reopens the same view
        state = self.state()
        self.assertEqual(state["preset"], "padding1")
        self.assertEqual(state["shape"]["stride"], 2)

    def test_9_cost_measurement_runs_in_the_page(self):
        self.open("#preset=chapter-4x4x3")
        # The Cost section is at the bottom of the SHAPE panel: scroll it with the wheel.
        shape = next(i for i in self.layout()["items"] if i["id"] == "panel:shape")
        canvas = self.driver.find_element(By.ID, "canvas")
        origin = ScrollOrigin.from_element(canvas, int(shape["x"] + shape["w"] / 2 - canvas.size["width"] / 2),
                                           int(shape["y"] + shape["h"] / 2 - canvas.size["height"] / 2))
        # ImGui scrolls the window under the pointer: move it there first.
        ActionChains(self.driver).move_to_element_with_offset(canvas, origin.x_offset, origin.y_offset).perform()
        for _ in range(10):
            ActionChains(self.driver).scroll_from_origin(origin, 0, 400).perform()
            time.sleep(0.1)
        time.sleep(0.3)
        self.click_item("control:measure-cost")
        self.wait_for(lambda: self.state()["cost_measured"], 30, "the loops vs im2col timing")
        self.assertEqual(self.state()["cost_error"], "")
        self.assertEqual(self.driver.execute_script("return window.im2colLab.error"), "")

    def test_9b_settings_persist_across_reloads(self):
        self.open()
        before = self.state()["font_scale"]
        # Ctrl + '=' makes the text larger; the settings go to IndexedDB.
        ActionChains(self.driver).key_down(Keys.CONTROL).key_down("=").pause(0.1).key_up("=").key_up(
            Keys.CONTROL).perform()
        self.wait_for(lambda: self.state()["font_scale"] > before + 0.05, 5, "larger text")
        larger = self.state()["font_scale"]
        time.sleep(1.5)  # settings are saved between frames and synced to IndexedDB
        self.open()
        self.assertAlmostEqual(self.state()["font_scale"], larger, places=3)
        ActionChains(self.driver).key_down(Keys.CONTROL).key_down("0").pause(0.1).key_up("0").key_up(
            Keys.CONTROL).perform()

    def test_9c_redrawing_only_what_changed_shows_what_a_whole_redraw_shows(self):
        for link in ("#preset=chapter-4x4x3", "#preset=alexnet-conv1&step=40"):
            self.open(link)
            self.press(Keys.SPACE)  # several steps, each redrawn only where it changed
            self.wait_for(lambda: self.state()["playing"], 5, f"{link}: playback to start")
            time.sleep(2.5)
            self.press(Keys.SPACE)
            self.wait_for(lambda: not self.state()["playing"], 5, f"{link}: playback to stop")
            time.sleep(0.5)  # the last transition ends
            self.driver.execute_script("window.im2colLab.stats(true)")
            time.sleep(0.5)
            idle = self.driver.execute_script("return window.im2colLab.stats(false)")
            self.assertEqual(idle["drawn_share"], 0.0, f"{link}: a frame that changes nothing draws nothing")
            partial = self.driver.get_screenshot_as_png()
            self.driver.execute_script("window.im2colLab.repaint()")
            time.sleep(0.5)
            whole = self.driver.get_screenshot_as_png()
            if partial != whole:
                for name, data in (("partial", partial), ("whole", whole)):
                    with open(os.path.join(tempfile.gettempdir(), f"im2col-web-9c-{name}.png"), "wb") as f:
                        f.write(data)
            self.assertTrue(partial == whole, f"{link}: pixels differ (screenshots in {tempfile.gettempdir()})")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--screenshot" in args:
        i = args.index("--screenshot")
        SCREENSHOT = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    SITE, NATIVE = os.path.abspath(args[0]), os.path.abspath(args[1])
    unittest.main(argv=[sys.argv[0], "-v"] + args[2:])
