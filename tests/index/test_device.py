"""CODING_ASSISTANT_DEVICE: auto takes a GPU when torch sees one; an explicit device that is
not there is an error; anything else is refused with the choices."""

from __future__ import annotations

import pytest

from assistant.index.device import DeviceError, choose_device


def gpu(present: bool):
    return lambda: present


@pytest.mark.parametrize("cuda, mps, chosen", [(True, False, "cuda"), (True, True, "cuda"),
                                               (False, True, "mps"), (False, False, "cpu")])
def test_auto_prefers_a_gpu(cuda, mps, chosen):
    assert choose_device("auto", gpu(cuda), gpu(mps)) == chosen
    assert choose_device("", gpu(cuda), gpu(mps)) == chosen


@pytest.mark.parametrize("setting, chosen", [("cpu", "cpu"), ("CPU", "cpu"), ("cuda", "cuda"),
                                             ("cuda:1", "cuda:1"), (" mps ", "mps")])
def test_an_explicit_device_is_used_when_present(setting, chosen):
    assert choose_device(setting, gpu(True), gpu(True)) == chosen


def test_cpu_never_asks_torch():
    def must_not_be_called() -> bool:
        raise AssertionError("torch asked")

    assert choose_device("cpu", must_not_be_called, must_not_be_called) == "cpu"


@pytest.mark.parametrize("setting", ["cuda", "cuda:0", "mps"])
def test_an_explicit_gpu_that_is_absent_is_an_error(setting):
    with pytest.raises(DeviceError, match="use auto or cpu"):
        choose_device(setting, gpu(False), gpu(False))


@pytest.mark.parametrize("setting", ["gpu", "cuda0", "tpu", "cpu,cuda"])
def test_an_unknown_device_is_refused_with_the_choices(setting):
    with pytest.raises(DeviceError, match="auto, cpu, cuda, cuda:N or mps"):
        choose_device(setting, gpu(True), gpu(True))


def test_the_setting_reaches_the_document_model(monkeypatch, tmp_path):
    from assistant.config import Settings
    from assistant.index import models, onnx_embeddings
    from assistant.index.embeddings import MiniLMEmbeddings

    monkeypatch.setattr(onnx_embeddings, "exported", lambda cache_dir: tmp_path / "model.onnx")
    monkeypatch.setattr(models, "choose_device", lambda setting: setting)
    on_gpu = models.document_embeddings(Settings(embedding="minilm", device="cuda:1"))
    assert isinstance(on_gpu, MiniLMEmbeddings) and on_gpu.device == "cuda:1"
    on_cpu = models.document_embeddings(Settings(embedding="minilm", device="cpu"))
    assert isinstance(on_cpu, onnx_embeddings.OnnxMiniLMEmbeddings)


def test_without_a_gpu_driver_auto_is_the_cpu_without_importing_torch():
    import subprocess
    import sys

    from assistant.index import device

    if any(__import__("os").path.exists(p) for p in device._GPU_DRIVER_FILES):
        pytest.skip("this machine has a GPU driver")
    code = ("import sys; from assistant.index.device import choose_device; "
            "print(choose_device('auto'), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["cpu", "False"]
